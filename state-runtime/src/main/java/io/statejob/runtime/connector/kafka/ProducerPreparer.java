package io.statejob.runtime.connector.kafka;

import io.statejob.runtime.concurrent.DaemonThreads;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Starts the transactional producer of the next transaction one transaction ahead, on a thread of
 * its own. A producer's start and {@code initTransactions} (a connection and round trips to the
 * transaction coordinator, about 100 ms) would otherwise stall the worker's thread at every
 * checkpoint: each transaction has an id, and so a producer, of its own.
 */
final class ProducerPreparer implements AutoCloseable {
  private final Map<String, Object> settings;
  private final ExecutorService thread;
  private String preparedId;
  private CompletableFuture<TransactionalProducer> prepared;

  ProducerPreparer(Map<String, Object> settings, String threadName) {
    this.settings = settings;
    this.thread = DaemonThreads.single(threadName);
  }

  /**
   * The initialized producer of {@code transactionalId}: the one prepared, when it was for this id
   * and started, else a new one. Then starts preparing {@code nextId}'s.
   */
  TransactionalProducer take(String transactionalId, String nextId) {
    TransactionalProducer producer = null;
    if (prepared != null && transactionalId.equals(preparedId)) {
      // a failed preparation is retried below, where its error reaches the caller
      producer = prepared.exceptionally(error -> null).join();
      prepared = null;
    } else {
      discardPrepared();
    }
    if (producer == null) {
      producer = initialized(settings, transactionalId);
    }
    preparedId = nextId;
    prepared = CompletableFuture.supplyAsync(() -> initialized(settings, nextId), thread);
    return producer;
  }

  private static TransactionalProducer initialized(Map<String, Object> settings, String id) {
    TransactionalProducer producer = new TransactionalProducer(settings, id);
    try {
      producer.initTransactions();
      return producer;
    } catch (RuntimeException e) {
      producer.close();
      throw e;
    }
  }

  private void discardPrepared() {
    if (prepared != null) {
      prepared.thenAccept(TransactionalProducer::close);
      prepared = null;
    }
  }

  /** Closes the prepared producer; a preparation under way is interrupted. */
  @Override
  public void close() {
    discardPrepared();
    thread.shutdownNow();
  }
}
