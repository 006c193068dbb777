package io.statejob.runtime.connector.kafka;

import io.statejob.runtime.api.CheckpointedFunction.InitializationContext;
import io.statejob.runtime.api.state.ListState;
import io.statejob.runtime.api.state.ListStateDescriptor;
import io.statejob.runtime.concurrent.CloseAll;
import io.statejob.runtime.serialization.Serializers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once delivery: two-phase commit on checkpoints, as Flink's KafkaSink. The records between
 * two barriers go into one Kafka transaction, {@code <prefix>-<worker>-<n>}; at the barrier it is
 * flushed (pre-committed) and recorded, with its producer id and epoch, in the checkpoint's
 * operator state; when the checkpoint completes it is committed.
 *
 * <p>On restore, each transaction the checkpoint pre-committed is committed (it may have been
 * already: then Kafka refuses and nothing changes), and every other open transaction of the prefix,
 * written after the checkpoint by the failed run, is aborted by fencing its id. A transaction's
 * worker index picks which worker handles it, so the two never race, at any new parallelism.
 */
final class KafkaTransactions implements KafkaWriter {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTransactions.class);

  private final Map<String, Object> settings;
  private final String prefix;
  private final int subtask;
  private final int parallelism;

  /** Pre-committed transactions of every worker: "checkpoint|producerId|epoch|transactionalId". */
  private final ListState<String> preCommittedState;

  /**
   * The id of the checkpoint, one entry per worker: the next transactions are numbered after it, so
   * that their ids are new to Kafka after a restore.
   */
  private final ListState<Long> checkpointState;

  private final List<PreCommitted> preCommitted = new ArrayList<>();
  private final ProducerPreparer producers;
  private TransactionalProducer current;
  private long nextTransaction;
  private volatile Exception sendFailure;

  /** A flushed transaction waiting for its checkpoint to complete. */
  private record PreCommitted(long checkpointId, TransactionalProducer producer) {
    String encode() {
      return checkpointId
          + "|"
          + producer.producerId()
          + "|"
          + producer.epoch()
          + "|"
          + producer.transactionalId();
    }
  }

  KafkaTransactions(Map<String, Object> settings, String prefix, InitializationContext context)
      throws Exception {
    this.settings = settings;
    this.prefix = prefix;
    this.subtask = context.subtaskIndex();
    this.parallelism = context.parallelism();
    var store = context.getOperatorStateStore();
    this.preCommittedState =
        store.getUnionListState(
            new ListStateDescriptor<>("kafka-sink-transactions", Serializers.STRING));
    this.checkpointState =
        store.getUnionListState(
            new ListStateDescriptor<>("kafka-sink-checkpoint", Serializers.LONG));
    long restoredCheckpoint = 0;
    for (long checkpointId : checkpointState.get()) {
      restoredCheckpoint = Math.max(restoredCheckpoint, checkpointId);
    }
    for (String entry : preCommittedState.get()) {
      String[] parts = entry.split("\\|", 4);
      if (isMine(parts[3])) {
        commitRestored(parts[3], Long.parseLong(parts[1]), Short.parseShort(parts[2]));
      }
    }
    abortLingering();
    this.nextTransaction = restoredCheckpoint + 1;
    this.producers = new ProducerPreparer(settings, "kafka-sink-producers-" + subtask);
  }

  /** The worker that handles {@code transactionalId} now: its writer's index mod parallelism. */
  private boolean isMine(String transactionalId) {
    String[] parts = transactionalId.substring(prefix.length() + 1).split("-");
    return Math.floorMod(Integer.parseInt(parts[0]), parallelism) == subtask;
  }

  private void commitRestored(String transactionalId, long producerId, short epoch) {
    try (TransactionalProducer producer = new TransactionalProducer(settings, transactionalId)) {
      producer.resume(producerId, epoch);
      producer.commitTransaction();
      LOG.atInfo()
          .addKeyValue("transactionalId", transactionalId)
          .log("committed a transaction the restored checkpoint had pre-committed");
    } catch (ProducerFencedException | InvalidProducerEpochException | InvalidTxnStateException e) {
      // committed before the failure: the coordinator has moved past that epoch
      LOG.atDebug()
          .addKeyValue("transactionalId", transactionalId)
          .addKeyValue("reason", e.toString())
          .log("a restored pre-committed transaction was committed already");
    }
  }

  /** Aborts the open transactions of this sink's prefix that this worker handles. */
  private void abortLingering() throws InterruptedException, ExecutionException {
    List<TransactionListing> open;
    try (Admin admin = Admin.create(settings)) {
      open =
          List.copyOf(
              admin
                  .listTransactions(
                      new ListTransactionsOptions()
                          .filterStates(List.of(TransactionState.ONGOING))
                          .filterOnTransactionalIdPattern(Pattern.quote(prefix + "-") + ".*"))
                  .all()
                  .get());
    }
    for (TransactionListing listing : open) {
      String id = listing.transactionalId();
      if (id.startsWith(prefix + "-") && isMine(id)) {
        try (TransactionalProducer fence = new TransactionalProducer(settings, id)) {
          fence.initTransactions(); // a new epoch for the id aborts its open transaction
        }
        LOG.atInfo()
            .addKeyValue("transactionalId", id)
            .log("aborted a transaction a failed run left open");
      }
    }
  }

  @Override
  public void send(ProducerRecord<byte[], byte[]> record) {
    throwIfFailed();
    if (current == null) {
      // the barrier of checkpoint nextTransaction will number the transaction after this one
      current =
          producers.take(transactionalId(nextTransaction), transactionalId(nextTransaction + 1));
      current.beginTransaction();
    }
    current.send(
        record,
        (metadata, error) -> {
          if (error != null && sendFailure == null) {
            sendFailure = error;
          }
        });
  }

  private String transactionalId(long number) {
    return prefix + "-" + subtask + "-" + number;
  }

  private void throwIfFailed() {
    if (sendFailure != null) {
      throw new IllegalStateException(
          "the Kafka sink could not write a record of its transaction: " + sendFailure,
          sendFailure);
    }
  }

  @Override
  public void preCommit(long checkpointId) {
    if (current != null) {
      current.flush();
      throwIfFailed();
      preCommitted.add(new PreCommitted(checkpointId, current));
      current = null;
    }
    nextTransaction = checkpointId + 1;
    preCommittedState.update(preCommitted.stream().map(PreCommitted::encode).toList());
    checkpointState.update(List.of(checkpointId));
  }

  @Override
  public void commit(long checkpointId) {
    for (Iterator<PreCommitted> it = preCommitted.iterator(); it.hasNext(); ) {
      PreCommitted transaction = it.next();
      if (transaction.checkpointId() <= checkpointId) {
        transaction.producer().commitTransaction();
        transaction.producer().close(Duration.ZERO);
        it.remove();
      }
    }
  }

  @Override
  public void close() {
    producers.close();
    List<TransactionalProducer> open = new ArrayList<>();
    if (current != null) {
      open.add(current);
    }
    preCommitted.forEach(transaction -> open.add(transaction.producer()));
    // each one is closed even when another's close throws: a skipped close leaks a network thread
    CloseAll.each(
        open,
        producer -> {
          try {
            producer.close(Duration.ZERO);
          } catch (org.apache.kafka.common.errors.InterruptException e) {
            // a cancelled task's thread is interrupted: the producer was stopped all the same,
            // only the wait for its network thread was cut short (the interrupt flag stays set)
            LOG.atDebug()
                .addKeyValue("transactionalId", producer.transactionalId())
                .log("closed a producer without waiting for its network thread");
          }
        });
  }
}
