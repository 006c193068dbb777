package io.statejob.runtime.execution;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.execution.operators.RecordContext;
import io.statejob.runtime.execution.time.TimerServices;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.OperatorStateBackend;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stage running on its own thread of a worker. Control messages arrive through a mailbox, so the
 * stage's state is touched by its thread only.
 */
abstract class StageTask {
  private static final Logger LOG = LoggerFactory.getLogger(StageTask.class);

  /** A control message; may throw, which fails the task. */
  @FunctionalInterface
  interface Mail {
    void run() throws Exception;
  }

  protected final Stage stage;

  /** The record being pushed through the chain: its timestamp and key group. */
  protected final RecordContext record = new RecordContext();

  protected StageChain chain;

  /** The operator state of the chain's functions, with the share restored to this worker. */
  protected OperatorStateBackend operatorState;

  /** Where the chain's records go on to the next stage; null in the last stage. */
  protected KeyedOutput output;

  protected final Worker worker;
  private final LinkedBlockingQueue<Mail> mailbox = new LinkedBlockingQueue<>();
  private final Thread thread;
  protected volatile boolean running = true;

  StageTask(Stage stage, Worker worker) {
    this.stage = stage;
    this.worker = worker;
    this.thread = new Thread(this::run, "worker-" + worker.subtask() + "-stage-" + stage.index());
    thread.setDaemon(true);
  }

  final void start() {
    thread.start();
  }

  final void mail(Mail mail) {
    mailbox.add(mail);
  }

  /** Stops at once: the job is failing over. */
  final void cancel() {
    running = false;
    thread.interrupt();
  }

  final void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  Stage stage() {
    return stage;
  }

  /** How many records each step of the stage received, by uid. */
  Map<String, Long> receivedPerStep() {
    return chain == null ? Map.of() : chain.receivedPerStep();
  }

  /** Records the stage sent to other workers. */
  long sentToOthers() {
    return output == null ? 0 : output.sentToOthers();
  }

  /** Builds the stage and restores its state, on its thread. */
  protected abstract void setUp() throws Exception;

  /**
   * Builds the stage's chain, sending to {@code next}, and opens its functions with their restored
   * operator state; {@code keyedState} and {@code timers} are null in stage 0, which has no key.
   */
  protected final void openChain(
      KeyedStateBackend<?> keyedState, TimerServices timers, Collector<Object> next)
      throws Exception {
    operatorState = worker.restore().operatorState(stage);
    chain = new StageChain(stage, keyedState, record, next);
    chain.open(
        operatorState,
        timers,
        worker.restore().isRestored(),
        worker.subtask(),
        worker.parallelism(),
        worker.config());
    worker.restore().checkClaimed(operatorState);
  }

  /** Processes until stopped; returns when the task ends. */
  protected abstract void loop() throws Exception;

  /** Releases what the stage holds, except state a snapshot may still read (the worker's). */
  protected abstract void tearDown() throws Exception;

  /** Runs the mails waiting; cheap when there are none. */
  protected final void drainMailbox() throws Exception {
    if (mailbox.isEmpty()) {
      return;
    }
    for (Mail mail = mailbox.poll(); mail != null; mail = mailbox.poll()) {
      mail.run();
    }
  }

  /** Waits up to {@code nanos} for a mail and runs it. */
  protected final void awaitMail(long nanos) throws Exception {
    Mail mail = mailbox.poll(nanos, TimeUnit.NANOSECONDS);
    if (mail != null) {
      mail.run();
    }
  }

  private void run() {
    try {
      setUp();
      loop();
    } catch (Throwable t) {
      if (running) {
        running = false;
        worker.taskFailed(this, t);
      }
    } finally {
      try {
        tearDown();
      } catch (Exception e) {
        LOG.atWarn().addKeyValue("stage", stage.id()).setCause(e).log("cannot close stage");
      }
      worker.taskEnded(this);
    }
  }
}
