package io.statejob.runtime.connector.kafka;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A transactional producer that can also commit a transaction another process began and
 * pre-committed: the one a checkpoint recorded before a crash. Kafka's public API (before KIP-939's
 * two-phase commit, which needs a broker setting) has no call for that, so, as Flink's {@code
 * FlinkKafkaInternalProducer} does, it sets the producer id and epoch the transaction was written
 * with in the client's transaction manager and marks it in a transaction; {@code commitTransaction}
 * then sends the coordinator that transaction's commit.
 */
final class TransactionalProducer extends KafkaProducer<byte[], byte[]> {
  private static final String STATE_ENUM =
      "org.apache.kafka.clients.producer.internals.TransactionManager$State";

  private final String transactionalId;

  TransactionalProducer(Map<String, Object> settings, String transactionalId) {
    super(withId(settings, transactionalId), new ByteArraySerializer(), new ByteArraySerializer());
    this.transactionalId = transactionalId;
  }

  private static Map<String, Object> withId(Map<String, Object> settings, String transactionalId) {
    Map<String, Object> copy = new HashMap<>(settings);
    copy.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    return copy;
  }

  /**
   * Closes without waiting: a commit or fence that did not finish is left to the next run, and a
   * broker that is down cannot hold the worker's thread in {@code close} forever.
   */
  @Override
  public void close() {
    close(java.time.Duration.ZERO);
  }

  String transactionalId() {
    return transactionalId;
  }

  /** The producer id of the current transaction, valid after {@code initTransactions}. */
  long producerId() {
    return (long) field(producerIdAndEpoch(), "producerId");
  }

  short epoch() {
    return (short) field(producerIdAndEpoch(), "epoch");
  }

  /**
   * Takes over the pre-committed transaction {@code producerId}/{@code epoch} of this transactional
   * id, so that {@code commitTransaction} commits it. Nothing else may be done with this producer.
   */
  void resume(long producerId, short epoch) {
    Object manager = transactionManager();
    synchronized (manager) {
      invoke(field(manager, "txnPartitionMap"), "reset");
      transitionTo(manager, "INITIALIZING");
      setField(manager, "producerIdAndEpoch", newProducerIdAndEpoch(manager, producerId, epoch));
      transitionTo(manager, "READY");
      transitionTo(manager, "IN_TRANSACTION");
      // the client sends EndTxn only for a transaction it saw data written in
      setField(manager, "transactionStarted", true);
    }
  }

  private Object transactionManager() {
    return field(this, KafkaProducer.class, "transactionManager");
  }

  private Object producerIdAndEpoch() {
    return field(transactionManager(), "producerIdAndEpoch");
  }

  private static Object newProducerIdAndEpoch(Object manager, long producerId, short epoch) {
    try {
      Class<?> type = manager.getClass().getDeclaredField("producerIdAndEpoch").getType();
      var constructor = type.getDeclaredConstructor(long.class, short.class);
      constructor.setAccessible(true);
      return constructor.newInstance(producerId, epoch);
    } catch (ReflectiveOperationException e) {
      throw incompatible(e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void transitionTo(Object manager, String state) {
    try {
      Class enumType = Class.forName(STATE_ENUM);
      Method transition = manager.getClass().getDeclaredMethod("transitionTo", enumType);
      transition.setAccessible(true);
      transition.invoke(manager, Enum.valueOf(enumType, state));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException r ? r : incompatible(e);
    } catch (ReflectiveOperationException e) {
      throw incompatible(e);
    }
  }

  private static void invoke(Object target, String method) {
    try {
      Method m = target.getClass().getDeclaredMethod(method);
      m.setAccessible(true);
      m.invoke(target);
    } catch (ReflectiveOperationException e) {
      throw incompatible(e);
    }
  }

  private static Object field(Object target, String name) {
    return field(target, target.getClass(), name);
  }

  private static Object field(Object target, Class<?> type, String name) {
    try {
      Field field = type.getDeclaredField(name);
      field.setAccessible(true);
      return field.get(target);
    } catch (ReflectiveOperationException e) {
      throw incompatible(e);
    }
  }

  private static void setField(Object target, String name, Object value) {
    try {
      Field field = target.getClass().getDeclaredField(name);
      field.setAccessible(true);
      field.set(target, value);
    } catch (ReflectiveOperationException e) {
      throw incompatible(e);
    }
  }

  private static IllegalStateException incompatible(Exception e) {
    return new IllegalStateException(
        "this kafka-clients version does not let the exactly-once Kafka sink resume a transaction"
            + " (StateJob is built and tested with kafka-clients 4.4)",
        e);
  }
}
