package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.api.Pipeline;
import io.statejob.runtime.api.Source;
import io.statejob.runtime.checkpoint.SubtaskCheckpointer;
import io.statejob.runtime.checkpoint.SubtaskCheckpointer.FrozenState;
import io.statejob.runtime.checkpoint.WorkerGateway;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.keygroup.KeyGroups;
import io.statejob.runtime.serialization.TypeSerializer;
import io.statejob.runtime.snapshot.OperatorStateSnapshot;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.SourcePosition;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateBackend;
import io.statejob.runtime.state.OperatorStateBackend;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker: a task thread that reads the source and runs the chain, freezing its state for a
 * checkpoint between two records when the coordinator asks ({@link SubtaskCheckpointer} writes and
 * acknowledges it). Control messages arrive through a mailbox, so all state is touched by the task
 * thread only.
 */
public final class Worker implements WorkerGateway {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final WorkerSetup setup;
  private final int subtask;
  private final KeyGroupRange range;
  private final LinkedBlockingQueue<Mail> mailbox = new LinkedBlockingQueue<>();
  private final AtomicLong recordsProcessed = new AtomicLong();
  private final AtomicLong lateRecordsDropped = new AtomicLong();
  private final SubtaskCheckpointer checkpointer;
  private final Thread thread;
  private volatile boolean running = true;

  private OperatorChain chain;
  private KeyedStateBackend<?> keyedState;
  private OperatorStateBackend operatorState;
  private Source.Reader<?> reader;
  private SourcePosition[] resumePositions;
  private long recordsRead;

  /** Published by the task thread when it ends. */
  private volatile WorkerRecords records = WorkerRecords.NONE;

  public Worker(WorkerSetup setup) {
    this.setup = setup;
    this.subtask = setup.subtask();
    this.range =
        KeyGroups.rangeFor(
            setup.config().get(RuntimeOptions.MAX_PARALLELISM), setup.parallelism(), subtask);
    this.checkpointer =
        new SubtaskCheckpointer(
            subtask,
            range,
            setup.storage(),
            setup.backend().asyncSnapshots(),
            setup.config().get(RuntimeOptions.MAX_MESSAGE_SIZE),
            setup.coordinator());
    this.thread = new Thread(this::run, "worker-" + subtask);
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public long recordsProcessed() {
    return recordsProcessed.get();
  }

  public long lateRecordsDropped() {
    return lateRecordsDropped.get();
  }

  /** What this worker read and processed; complete once it has ended ({@link #join}). */
  public WorkerRecords records() {
    return records;
  }

  @Override
  public void triggerCheckpoint(long checkpointId, SnapshotType type) {
    mailbox.add(() -> checkpointer.checkpoint(checkpointId, type, this::freezeState));
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    mailbox.add(
        () -> {
          keyedState.notifyCheckpointComplete(checkpointId);
          chain.notifyCheckpointComplete(checkpointId);
        });
  }

  /** Stops after the messages already in the mailbox (a finished job's last notifications). */
  public void stop() {
    mailbox.add(() -> running = false);
  }

  /** Stops at once: the job is failing over. */
  public void cancel() {
    running = false;
    thread.interrupt();
  }

  public void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  /** A control message; may throw, which fails the worker. */
  @FunctionalInterface
  private interface Mail {
    void run() throws Exception;
  }

  private void run() {
    try {
      setUp();
      loop();
    } catch (Throwable t) {
      if (running) {
        running = false;
        setup.coordinator().reportFailure(subtask, t);
      }
    } finally {
      tearDown();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void setUp() throws Exception {
    Pipeline pipeline = setup.program().buildPipeline();
    int maxParallelism = setup.config().get(RuntimeOptions.MAX_PARALLELISM);
    TypeSerializer<?> keySerializer = pipeline.keyBy().keySerializer();
    keyedState =
        setup
            .backend()
            .createKeyedStateBackend(
                new KeyedBackendParameters(
                    setup.config().get(RuntimeOptions.JOB_ID),
                    keySerializer,
                    maxParallelism,
                    range,
                    subtask,
                    setup.program().classLoader()));
    WorkerRestore restore =
        setup.restore().isPresent()
            ? WorkerRestore.load(
                setup.restore().get(),
                subtask,
                setup.parallelism(),
                range,
                keyedState,
                setup.config())
            : WorkerRestore.empty(range);
    resumePositions = restore.resumePositions();
    operatorState = new OperatorStateBackend(restore.operatorStates());
    chain = new OperatorChain(pipeline, keyedState, range, maxParallelism, resumePositions);
    chain.open(
        operatorState,
        setup.restore().isPresent(),
        subtask,
        setup.parallelism(),
        keyedState,
        setup.config());
    if (!operatorState.unclaimedRestoredStates().isEmpty()
        && !setup.config().get(RuntimeOptions.ALLOW_NON_RESTORED_STATE)) {
      throw new IllegalStateException(
          "the checkpoint holds operator state "
              + operatorState.unclaimedRestoredStates()
              + " that no function of the job registers; set spec.restore.allowNonRestoredState"
              + " (execution.savepoint.ignore-unclaimed-state) to start without it");
    }
    reader =
        pipeline
            .source()
            .source()
            .createReader(OperatorChain.startPosition(resumePositions).offset());
  }

  private void loop() throws Exception {
    boolean reportedFinished = false;
    long sinceUpdate = 0;
    while (running) {
      drainMailbox();
      if (!running) {
        break;
      }
      long offset = reader.offset();
      Object record = reportedFinished ? null : reader.next();
      if (record != null) {
        recordsRead++;
        chain.process(record, offset);
        chain.fireProcessingTimers();
        if (++sinceUpdate == 1024) {
          publishCounters();
          sinceUpdate = 0;
        }
        continue;
      }
      chain.fireProcessingTimers();
      if (!reportedFinished && reader.isFinished()) {
        reportedFinished = true;
        chain.endOfInput();
        setup.coordinator().reportFinished(subtask);
      } else if (!reportedFinished) {
        chain.onNoRecord();
      }
      publishCounters();
      long wait =
          Math.min(reportedFinished ? IDLE_WAIT_NANOS : reader.nanosUntilNext(), nanosUntilTimer());
      Mail mail = mailbox.poll(wait, TimeUnit.NANOSECONDS);
      if (mail != null) {
        mail.run();
      }
    }
  }

  private void publishCounters() {
    recordsProcessed.lazySet(chain.recordsProcessed());
    lateRecordsDropped.lazySet(chain.lateRecordsDropped());
  }

  private long nanosUntilTimer() {
    long next = chain.nextProcessingTimer();
    return next == Long.MAX_VALUE
        ? Long.MAX_VALUE
        : TimeUnit.MILLISECONDS.toNanos(Math.max(0, next - System.currentTimeMillis()));
  }

  private void drainMailbox() throws Exception {
    for (Mail mail = mailbox.poll(); mail != null; mail = mailbox.poll()) {
      mail.run();
    }
  }

  /** Freezes the state for checkpoint {@code checkpointId}, on the task thread. */
  private FrozenState freezeState(long checkpointId, SnapshotType type) throws Exception {
    chain.snapshotFunctions(checkpointId);
    List<OperatorStateSnapshot> operatorStates = operatorState.snapshot();
    // key groups still replaying keep their restored position
    SourcePosition here = new SourcePosition(reader.offset(), chain.maxTimestamp());
    SourcePosition[] positions = new SourcePosition[range.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = resumePositions[i].offset() > here.offset() ? resumePositions[i] : here;
    }
    return new FrozenState(positions, keyedState.snapshot(checkpointId, type), operatorStates);
  }

  private void tearDown() {
    records = new WorkerRecords(recordsRead, chain == null ? Map.of() : chain.receivedPerStep());
    checkpointer.close();
    closeQuietly("chain", chain == null ? null : chain::close);
    closeQuietly("source", reader);
    closeQuietly("keyed state", keyedState);
  }

  private void closeQuietly(String what, AutoCloseable closeable) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.atWarn().addKeyValue("subtask", subtask).setCause(e).log("cannot close " + what);
    }
  }
}
