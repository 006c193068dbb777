package io.statejob.runtime.exchange;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exchange between workers of one JVM: a batch is handed over as it is, without serialization,
 * so a sender must not change a record after emitting it.
 */
public final class LocalExchange implements Exchange {
  /** Where the two ends of a channel meet, whichever opens first. */
  private static final class Rendezvous {
    final Credits credits;
    volatile InputChannel receiver;

    Rendezvous(ChannelId id) {
      this.credits = new Credits(id);
    }
  }

  private final Map<ChannelId, Rendezvous> channels = new ConcurrentHashMap<>();

  @Override
  public void register(InputGate gate, int credits) {
    for (int sender = 0; sender < gate.numberOfChannels(); sender++) {
      InputChannel input = gate.channel(sender);
      Rendezvous rendezvous = rendezvous(input.id());
      rendezvous.receiver = input;
      input.connect(rendezvous.credits::grant, credits);
    }
  }

  @Override
  public OutputChannel openOutput(ChannelId id) {
    Rendezvous rendezvous = rendezvous(id);
    // the receiver's first credits are granted once it is there
    return new CreditedOutputChannel(rendezvous.credits) {
      @Override
      void transfer(List<Object> batch) {
        rendezvous.receiver.deliver(batch);
      }
    };
  }

  private Rendezvous rendezvous(ChannelId id) {
    return channels.computeIfAbsent(id, Rendezvous::new);
  }

  @Override
  public void close() {
    channels.values().forEach(r -> r.credits.fail("the exchange is closed"));
    channels.clear();
  }
}
