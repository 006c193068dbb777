package io.statejob.runtime.exchange;

import java.io.IOException;

/**
 * Carries batches between workers: in memory between the workers of one JVM ({@link
 * LocalExchange}), over TCP between worker processes ({@link NettyExchange}). Both ends of a
 * channel may open in any order; a sender waits for the receiver's first credits.
 */
public interface Exchange extends AutoCloseable {
  /** Opens the receiving ends of {@code gate}'s channels, each with room for {@code credits}. */
  void register(InputGate gate, int credits) throws IOException;

  /** Opens the sending end of channel {@code id}. */
  OutputChannel openOutput(ChannelId id) throws IOException;

  @Override
  void close();
}
