package io.statejob.runtime.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statejob.runtime.serialization.Serializers;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.testing.Await;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The same behaviour from both transports: in memory, and over TCP between two exchanges on
 * 127.0.0.1, each with its own port, as two worker processes have.
 */
class ExchangeTransportTest {
  private static final int CREDITS = 2;
  private final List<Exchange> opened = new ArrayList<>();
  private final Map<Integer, InetSocketAddress> addresses = new ConcurrentHashMap<>();

  @AfterEach
  void close() {
    opened.forEach(Exchange::close);
  }

  /** One exchange per worker: the same local one twice, or one TCP endpoint each. */
  private Exchange[] workers(boolean tcp) throws Exception {
    if (!tcp) {
      LocalExchange local = new LocalExchange();
      opened.add(local);
      return new Exchange[] {local, local};
    }
    Exchange[] exchanges = new Exchange[2];
    for (int worker = 0; worker < 2; worker++) {
      NettyExchange exchange =
          new NettyExchange(
              new InetSocketAddress("127.0.0.1", 0),
              edge -> new BatchCodec(Serializers.STRING),
              addresses::get,
              Duration.ofSeconds(10));
      addresses.put(worker, new InetSocketAddress("127.0.0.1", exchange.port()));
      opened.add(exchange);
      exchanges[worker] = exchange;
    }
    return exchanges;
  }

  @Test
  void recordsCrossInOrderInMemory() throws Exception {
    recordsCrossInOrder(false);
  }

  @Test
  void recordsCrossInOrderOverTcp() throws Exception {
    recordsCrossInOrder(true);
  }

  /** Each worker sends 10,000 records to both, then a barrier and the end of its data. */
  private void recordsCrossInOrder(boolean tcp) throws Exception {
    Exchange[] exchanges = workers(tcp);
    InputGate[] gates = {new InputGate(0, 0, 2), new InputGate(0, 1, 2)};
    exchanges[0].register(gates[0], CREDITS);
    exchanges[1].register(gates[1], CREDITS);
    List<CompletableFuture<Void>> senders = new ArrayList<>();
    for (int worker = 0; worker < 2; worker++) {
      int sender = worker;
      Exchange exchange = exchanges[sender];
      senders.add(
          CompletableFuture.runAsync(
              () -> {
                try {
                  RecordWriter writer =
                      new RecordWriter(
                          List.of(
                              exchange.openOutput(new ChannelId(0, sender, 0)),
                              exchange.openOutput(new ChannelId(0, sender, 1))),
                          64,
                          TimeUnit.MILLISECONDS.toNanos(100));
                  for (int i = 0; i < 10_000; i++) {
                    writer.emit(new KeyedRecord(i, i % 128, sender + ":" + i), i % 2);
                  }
                  writer.broadcast(new ExchangeEvent.Barrier(1, SnapshotType.CHECKPOINT));
                  writer.broadcast(new ExchangeEvent.EndOfData());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              }));
    }
    // each receiver reads on its own thread, as each worker's task does
    List<CompletableFuture<Void>> receivers = new ArrayList<>();
    for (int worker = 0; worker < 2; worker++) {
      int receiver = worker;
      receivers.add(CompletableFuture.runAsync(() -> readAll(gates[receiver], receiver)));
    }
    CompletableFuture.allOf(receivers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
  }

  private static void readAll(InputGate gate, int receiver) {
    try {
      StageInput input = new StageInput(gate);
      List<String> fromWorker0 = new ArrayList<>();
      List<String> fromWorker1 = new ArrayList<>();
      int aligned = 0;
      for (StageInput.Item item = input.next(10, TimeUnit.SECONDS);
          !(item instanceof StageInput.EndOfInput);
          item = input.next(10, TimeUnit.SECONDS)) {
        assertThat(item).as("an item within 10 s").isNotNull();
        if (item instanceof KeyedRecord element) {
          String record = (String) element.value();
          assertThat(element.timestamp()).isEqualTo(Long.parseLong(record.substring(2)));
          (record.startsWith("0:") ? fromWorker0 : fromWorker1).add(record);
          assertThat(aligned).as("no record after the barrier").isZero();
        } else if (item instanceof StageInput.Aligned) {
          aligned++;
        }
      }
      assertThat(aligned).isEqualTo(1);
      assertThat(fromWorker0).hasSize(5_000).isEqualTo(expected(0, receiver));
      assertThat(fromWorker1).hasSize(5_000).isEqualTo(expected(1, receiver));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyedRecord record(String value) {
    return new KeyedRecord(Long.MIN_VALUE, 0, value);
  }

  private static List<String> expected(int sender, int receiver) {
    List<String> records = new ArrayList<>();
    for (int i = receiver; i < 10_000; i += 2) {
      records.add(sender + ":" + i);
    }
    return records;
  }

  @Test
  void aReceiverThatDoesNotReadStopsItsSenderInMemory() throws Exception {
    aReceiverThatDoesNotReadStopsItsSender(false);
  }

  @Test
  void aReceiverThatDoesNotReadStopsItsSenderOverTcp() throws Exception {
    aReceiverThatDoesNotReadStopsItsSender(true);
  }

  /** Backpressure: the sender blocks once the receiver holds as many batches as it has room for. */
  private void aReceiverThatDoesNotReadStopsItsSender(boolean tcp) throws Exception {
    Exchange[] exchanges = workers(tcp);
    InputGate gate = new InputGate(0, 1, 1);
    exchanges[1].register(gate, CREDITS);
    OutputChannel channel = exchanges[0].openOutput(new ChannelId(0, 0, 1));
    AtomicInteger sent = new AtomicInteger();
    CompletableFuture<Void> sender =
        CompletableFuture.runAsync(
            () -> {
              try {
                for (int batch = 0; batch < 10; batch++) {
                  channel.send(List.of(record("batch-" + batch)));
                  sent.incrementAndGet();
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Await.until(() -> sent.get() == CREDITS, 10);
    Thread.sleep(300);
    assertThat(sent.get()).as("batches sent without a credit").isEqualTo(CREDITS);
    assertThat(sender).isNotDone();

    // reading one batch gives its credit back: exactly one more batch goes out
    assertThat(gate.next(10, TimeUnit.SECONDS)).isNotNull();
    Await.until(() -> sent.get() == CREDITS + 1, 10);
    Thread.sleep(300);
    assertThat(sent.get()).isEqualTo(CREDITS + 1);

    for (int read = 1; read < 10; ) {
      if (gate.next(10, TimeUnit.SECONDS) != null) {
        read++;
      }
    }
    sender.get(10, TimeUnit.SECONDS);
  }

  /** Worker 0 sends to worker 1 over TCP; one batch has gone through. */
  private record Connected(Exchange[] exchanges, InputGate gate, OutputChannel channel) {}

  private Connected connectedOverTcp() throws Exception {
    Exchange[] exchanges = workers(true);
    InputGate gate = new InputGate(0, 1, 1);
    exchanges[1].register(gate, CREDITS);
    OutputChannel channel = exchanges[0].openOutput(new ChannelId(0, 0, 1));
    channel.send(List.of(record("before")));
    assertThat(gate.next(10, TimeUnit.SECONDS)).isEqualTo(record("before"));
    return new Connected(exchanges, gate, channel);
  }

  @Test
  void aLostConnectionFailsTheReceiver() throws Exception {
    Connected connected = connectedOverTcp();

    connected.exchanges()[0].close();

    assertThatThrownBy(
            () -> {
              while (true) {
                connected.gate().next(10, TimeUnit.SECONDS);
              }
            })
        .hasMessageContaining("the connection from worker 0 was lost");
  }

  @Test
  void aLostConnectionFailsTheSender() throws Exception {
    Connected connected = connectedOverTcp();

    connected.exchanges()[1].close();

    assertThatThrownBy(
            () -> {
              for (int batch = 0; batch < 10; batch++) {
                connected.channel().send(List.of(record("after")));
              }
            })
        .hasMessageContaining("the connection to worker 1 was lost");
  }

  @Test
  void aSenderRetriesUntilTheReceiverListens() throws Exception {
    NettyExchange sender =
        new NettyExchange(
            new InetSocketAddress("127.0.0.1", 0),
            edge -> new BatchCodec(Serializers.STRING),
            addresses::get,
            Duration.ofSeconds(20));
    opened.add(sender);
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    addresses.put(1, new InetSocketAddress("127.0.0.1", port));
    CompletableFuture<OutputChannel> opening =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return sender.openOutput(new ChannelId(0, 0, 1));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(500);
    assertThat(opening).isNotDone();

    NettyExchange receiver =
        new NettyExchange(
            new InetSocketAddress("127.0.0.1", port),
            edge -> new BatchCodec(Serializers.STRING),
            addresses::get,
            Duration.ofSeconds(10));
    opened.add(receiver);
    InputGate gate = new InputGate(0, 1, 1);
    receiver.register(gate, CREDITS);
    opening.get(10, TimeUnit.SECONDS).send(List.of(record("late start")));

    assertThat(gate.next(10, TimeUnit.SECONDS)).isEqualTo(record("late start"));
  }
}
