package io.statejob.runtime.exchange;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.statejob.runtime.concurrent.DaemonThreads;
import io.statejob.runtime.serialization.DataInputBuffer;
import io.statejob.runtime.serialization.DataOutputBuffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exchange between worker processes over TCP. Each worker listens on one port; a sender opens
 * one connection per receiving worker and carries all its channels to that worker on it. Frames are
 * length-prefixed: {@code OPEN} announces a channel, {@code DATA} carries one batch (encoded by the
 * edge's {@link BatchCodec}), {@code CREDIT} goes back from receiver to sender. A lost connection
 * fails its channels: the job restarts from its latest checkpoint.
 */
public final class NettyExchange implements Exchange {
  private static final Logger LOG = LoggerFactory.getLogger(NettyExchange.class);
  private static final byte OPEN = 1;
  private static final byte CREDIT = 2;
  private static final byte DATA = 3;
  private static final int MAX_FRAME = 256 * 1024 * 1024;

  private final IntFunction<BatchCodec> codecs;
  private final IntFunction<InetSocketAddress> workerAddresses;
  private final Duration connectTimeout;
  private final EventLoopGroup group;
  private final Channel server;
  private final Map<ChannelId, InputChannel> inputs = new ConcurrentHashMap<>();
  private final Map<ChannelId, Integer> inputCredits = new ConcurrentHashMap<>();
  private final Map<ChannelId, Channel> openedBySender = new ConcurrentHashMap<>();
  private final Map<ChannelId, Credits> outputs = new ConcurrentHashMap<>();
  private final Map<ChannelId, Channel> outputConnections = new ConcurrentHashMap<>();
  private final Map<InetSocketAddress, Channel> connections = new ConcurrentHashMap<>();
  private final LongAdder bytesSent = new LongAdder();
  private final LongAdder bytesReceived = new LongAdder();
  private volatile boolean closing;

  /**
   * Listens on {@code bind}.
   *
   * @param codecs the batch codec of each edge
   * @param workerAddresses where worker {@code i} listens
   * @param connectTimeout how long to retry connecting to a worker that is not listening yet
   */
  public NettyExchange(
      InetSocketAddress bind,
      IntFunction<BatchCodec> codecs,
      IntFunction<InetSocketAddress> workerAddresses,
      Duration connectTimeout)
      throws IOException {
    this.codecs = codecs;
    this.workerAddresses = workerAddresses;
    this.connectTimeout = connectTimeout;
    this.group = new NioEventLoopGroup(1, DaemonThreads.named("exchange-io"));
    try {
      this.server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(initializer(new ReceiverHandler()))
              .bind(bind)
              .sync()
              .channel();
    } catch (Exception e) {
      group.shutdownGracefully();
      throw new IOException("cannot listen for the exchange on " + bind + ": " + e.getMessage(), e);
    }
  }

  /** Bytes of batches sent to other workers so far. */
  public long bytesSent() {
    return bytesSent.sum();
  }

  /** Bytes of batches received from other workers so far. */
  public long bytesReceived() {
    return bytesReceived.sum();
  }

  /** The port this worker listens on (useful when bound to port 0). */
  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void register(InputGate gate, int credits) {
    for (int sender = 0; sender < gate.numberOfChannels(); sender++) {
      InputChannel input = gate.channel(sender);
      inputs.put(input.id(), input);
      inputCredits.put(input.id(), credits);
      Channel connection = openedBySender.get(input.id());
      if (connection != null) {
        connect(input, connection);
      }
    }
  }

  @Override
  public OutputChannel openOutput(ChannelId id) throws IOException {
    Channel connection = connection(workerAddresses.apply(id.receiver()));
    Credits credits = outputs.computeIfAbsent(id, Credits::new);
    outputConnections.put(id, connection);
    connection.writeAndFlush(header(connection, OPEN, id, 0));
    BatchCodec codec = codecs.apply(id.edge());
    DataOutputBuffer bytes = new DataOutputBuffer(64 * 1024);
    return new CreditedOutputChannel(credits) {
      @Override
      void transfer(List<Object> batch) throws IOException {
        bytes.reset();
        codec.encode(batch, bytes);
        ByteBuf frame = header(connection, DATA, id, bytes.length());
        frame.writeBytes(bytes.array(), 0, bytes.length());
        bytesSent.add(frame.readableBytes());
        connection.writeAndFlush(frame);
      }
    };
  }

  /**
   * Forgets the channels of attempts before {@code attempt}: their senders fail, and what still
   * arrives for them is dropped. Connections stay open for the channels of later attempts.
   */
  public void forgetAttemptsBefore(int attempt) {
    Predicate<ChannelId> old = id -> id.attempt() < attempt;
    outputs.forEach(
        (id, credits) -> {
          if (old.test(id)) {
            credits.fail("attempt " + id.attempt() + " ended");
          }
        });
    outputs.keySet().removeIf(old);
    outputConnections.keySet().removeIf(old);
    inputs.keySet().removeIf(old);
    inputCredits.keySet().removeIf(old);
    openedBySender.keySet().removeIf(old);
  }

  @Override
  public void close() {
    closing = true;
    outputs.values().forEach(c -> c.fail("the exchange is closed"));
    server.close();
    connections.values().forEach(Channel::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** The connection to the worker at {@code address}, opened on first use with retries. */
  private Channel connection(InetSocketAddress address) throws IOException {
    Channel existing = connections.get(address);
    if (existing != null && existing.isActive()) {
      return existing;
    }
    synchronized (connections) {
      existing = connections.get(address);
      if (existing != null && existing.isActive()) {
        return existing;
      }
      Channel opened = connect(address);
      connections.put(address, opened);
      return opened;
    }
  }

  private Channel connect(InetSocketAddress address) throws IOException {
    long deadline = System.nanoTime() + connectTimeout.toNanos();
    Bootstrap bootstrap =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(initializer(new SenderHandler()));
    while (true) {
      ChannelFuture future = bootstrap.connect(address).awaitUninterruptibly();
      if (future.isSuccess()) {
        return future.channel();
      }
      if (closing || System.nanoTime() > deadline) {
        throw new IOException(
            "cannot connect to worker at "
                + address
                + " within "
                + connectTimeout.toSeconds()
                + " s: "
                + future.cause().getMessage(),
            future.cause());
      }
      try {
        Thread.sleep(100); // the worker's pod may still be starting
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while connecting to " + address, e);
      }
    }
  }

  private void connect(InputChannel input, Channel connection) {
    input.connect(
        credits ->
            connection.writeAndFlush(header(connection, CREDIT, input.id(), 4).writeInt(credits)),
        inputCredits.get(input.id()));
  }

  private static ByteBuf header(Channel connection, byte kind, ChannelId id, int extra) {
    ByteBuf frame = connection.alloc().buffer(17 + extra);
    frame
        .writeByte(kind)
        .writeInt(id.attempt())
        .writeInt(id.edge())
        .writeInt(id.sender())
        .writeInt(id.receiver());
    return frame;
  }

  private static ChannelId readId(ByteBuf frame) {
    return new ChannelId(frame.readInt(), frame.readInt(), frame.readInt(), frame.readInt());
  }

  private static ChannelInitializer<SocketChannel> initializer(
      SimpleChannelInboundHandler<ByteBuf> handler) {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(SocketChannel channel) {
        channel
            .pipeline()
            .addLast(new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4))
            .addLast(new LengthFieldPrepender(4))
            .addLast(handler);
      }
    };
  }

  /** Reads frames of a connection; a connection that fails is closed, failing its channels. */
  private abstract static class FrameHandler extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
      LOG.atWarn()
          .addKeyValue("peer", context.channel().remoteAddress())
          .setCause(cause)
          .log("exchange connection failed");
      context.close();
    }
  }

  /** The receiving side of a connection: channel openings and batches. */
  @ChannelHandler.Sharable
  private final class ReceiverHandler extends FrameHandler {
    private final DataInputBuffer in = new DataInputBuffer();

    @Override
    protected void channelRead0(ChannelHandlerContext context, ByteBuf frame) throws IOException {
      byte kind = frame.readByte();
      ChannelId id = readId(frame);
      if (kind == OPEN) {
        openedBySender.put(id, context.channel());
        InputChannel input = inputs.get(id);
        if (input != null) {
          connect(input, context.channel());
        }
      } else if (kind == DATA) {
        InputChannel input = inputs.get(id);
        if (input == null) {
          return; // a batch of an ended attempt, whose channels were forgotten: dropped
        }
        byte[] bytes = new byte[frame.readableBytes()];
        frame.readBytes(bytes);
        bytesReceived.add(bytes.length);
        List<Object> batch;
        synchronized (in) {
          batch = codecs.apply(id.edge()).decode(in.reset(bytes, 0, bytes.length));
        }
        input.deliver(batch);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      if (closing) {
        return;
      }
      openedBySender.forEach(
          (id, connection) -> {
            if (connection == context.channel() && inputs.containsKey(id)) {
              inputs.get(id).fail("the connection from worker " + id.sender() + " was lost");
            }
          });
    }
  }

  /** The sending side of a connection: credits. */
  @ChannelHandler.Sharable
  private final class SenderHandler extends FrameHandler {
    @Override
    protected void channelRead0(ChannelHandlerContext context, ByteBuf frame) {
      byte kind = frame.readByte();
      ChannelId id = readId(frame);
      Credits credits = outputs.get(id);
      if (kind == CREDIT && credits != null) {
        credits.grant(frame.readInt());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
      if (closing) {
        return;
      }
      outputConnections.forEach(
          (id, connection) -> {
            Credits credits = outputs.get(id);
            if (connection == context.channel() && credits != null) {
              credits.fail("the connection to worker " + id.receiver() + " was lost");
            }
          });
    }
  }
}
