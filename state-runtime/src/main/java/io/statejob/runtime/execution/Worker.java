package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.api.Pipeline;
import io.statejob.runtime.checkpoint.SubtaskCheckpointer;
import io.statejob.runtime.checkpoint.WorkerGateway;
import io.statejob.runtime.exchange.ChannelId;
import io.statejob.runtime.exchange.InputGate;
import io.statejob.runtime.exchange.OutputChannel;
import io.statejob.runtime.exchange.RecordWriter;
import io.statejob.runtime.execution.operators.RecordContext;
import io.statejob.runtime.keygroup.KeyGroupRange;
import io.statejob.runtime.keygroup.KeyGroups;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.StopMode;
import io.statejob.runtime.state.KeyedBackendParameters;
import io.statejob.runtime.state.KeyedStateBackend;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker: a task per stage of the pipeline, each on its own thread, joined by the exchange. The
 * source task reads the worker's splits; each keyed task holds the state of the worker's key groups
 * for its stage. The worker acknowledges a checkpoint once every task has snapshotted ({@link
 * SubtaskCheckpointer}).
 *
 * <p>A thread per stage keeps the exchange free of deadlocks: a task blocked sending (its receiver
 * has no room) waits for a task of a later stage, which never waits for it.
 */
public final class Worker implements WorkerGateway {
  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final WorkerSetup setup;
  private final int subtask;
  private final int maxParallelism;
  private final KeyGroupRange range;
  private final Pipeline pipeline;
  private final List<Stage> stages;
  private final WorkerRestore restore;
  private final SubtaskCheckpointer checkpointer;
  private final SourceTask source;
  private final List<KeyedStageTask> keyedTasks = new ArrayList<>();
  private final List<StageTask> tasks = new ArrayList<>();
  private final List<AutoCloseable> stateToClose = new CopyOnWriteArrayList<>();
  private final CountDownLatch ended;
  private final AtomicInteger running;
  private final AtomicBoolean failed = new AtomicBoolean();

  /** Per stage: what its task did, published by the task. */
  private final AtomicReferenceArray<WorkerCounters> published;

  /** Published once every task has ended. */
  private volatile WorkerRecords records = WorkerRecords.NONE;

  /**
   * The savepoint that stops this worker, once asked for: set before the source sends its barrier,
   * so each keyed stage knows by the time its barriers align.
   */
  private volatile StopAt stopAt;

  /** A savepoint after which the worker processes nothing. */
  record StopAt(long checkpointId, StopMode mode) {}

  /**
   * @throws Exception when the program cannot build its pipeline or the restore point does not fit
   *     it
   */
  public Worker(WorkerSetup setup) throws Exception {
    this.setup = setup;
    this.subtask = setup.subtask();
    this.maxParallelism = setup.config().get(RuntimeOptions.MAX_PARALLELISM);
    this.range = KeyGroups.rangeFor(maxParallelism, setup.parallelism(), subtask);
    this.pipeline = setup.program().buildPipeline(setup.config());
    this.stages = Stage.plan(pipeline);
    this.restore =
        new WorkerRestore(setup.restore(), subtask, setup.parallelism(), range, setup.config());
    restore.checkStages(stages);
    this.checkpointer =
        new SubtaskCheckpointer(
            subtask,
            range,
            stages.size(),
            setup.storage(),
            setup.backend().asyncSnapshots(),
            setup.config().get(RuntimeOptions.MAX_MESSAGE_SIZE),
            setup.coordinator());
    this.source = new SourceTask(stages.get(0), this);
    tasks.add(source);
    for (Stage stage : stages.subList(1, stages.size())) {
      KeyedStageTask task = new KeyedStageTask(stage, this);
      keyedTasks.add(task);
      tasks.add(task);
    }
    this.ended = new CountDownLatch(tasks.size());
    this.running = new AtomicInteger(tasks.size());
    this.published = new AtomicReferenceArray<>(stages.size());
  }

  public void start() {
    tasks.forEach(StageTask::start);
  }

  // ---- what the tasks share ----

  int subtask() {
    return subtask;
  }

  int parallelism() {
    return setup.parallelism();
  }

  int maxParallelism() {
    return maxParallelism;
  }

  RuntimeConfig config() {
    return setup.config();
  }

  Pipeline pipeline() {
    return pipeline;
  }

  WorkerRestore restore() {
    return restore;
  }

  SubtaskCheckpointer checkpointer() {
    return checkpointer;
  }

  /** The keyed state of {@code stage} on this worker, closed once every task has ended. */
  KeyedStateBackend<?> createKeyedState(Stage stage) throws IOException {
    KeyedStateBackend<?> state =
        setup
            .backend()
            .createKeyedStateBackend(
                new KeyedBackendParameters<>(
                    setup.config().get(RuntimeOptions.JOB_ID),
                    stage.input().orElseThrow().keySerializer(),
                    maxParallelism,
                    range,
                    subtask,
                    setup.program().classLoader()));
    stateToClose.add(state);
    return state;
  }

  /** Where {@code stage} sends its records: to the owners of their key groups in the next stage. */
  KeyedOutput openOutput(Stage stage, RecordContext record) throws IOException {
    return new KeyedOutput(
        stage.output().orElseThrow(),
        maxParallelism,
        parallelism(),
        subtask,
        openWriter(stage.index() + 1),
        record);
  }

  /** The sending side of edge {@code edge}: a channel to every worker. */
  private RecordWriter openWriter(int edge) throws IOException {
    List<OutputChannel> channels = new ArrayList<>();
    for (int receiver = 0; receiver < parallelism(); receiver++) {
      channels.add(
          setup.exchange().openOutput(new ChannelId(setup.attempt(), edge, subtask, receiver)));
    }
    return new RecordWriter(
        channels,
        config().get(RuntimeOptions.EXCHANGE_BATCH_SIZE),
        config().get(RuntimeOptions.BUFFER_TIMEOUT).toNanos());
  }

  /** The receiving side of edge {@code edge}: a channel from every worker. */
  InputGate openInput(int edge) throws IOException {
    InputGate gate = new InputGate(setup.attempt(), edge, subtask, parallelism());
    setup.exchange().register(gate, config().get(RuntimeOptions.EXCHANGE_CREDITS));
    return gate;
  }

  void sourceFinished() {
    setup.coordinator().reportFinished(subtask);
  }

  /** Called by a task on its thread: makes its counters visible to metrics. */
  void publish(StageTask task, WorkerCounters counters) {
    published.lazySet(task.stage().index(), counters);
  }

  /** A task failed: the others stop, and the coordinator hears of it once. */
  void taskFailed(StageTask task, Throwable cause) {
    if (failed.compareAndSet(false, true)) {
      tasks.stream().filter(t -> t != task).forEach(StageTask::cancel);
      setup
          .coordinator()
          .reportFailure(
              subtask,
              new IllegalStateException("stage '" + task.stage().id() + "': " + cause, cause));
    }
  }

  /** A task's thread ended; the last one closes what the tasks shared. */
  void taskEnded(StageTask task) {
    if (running.decrementAndGet() == 0) {
      finish();
    }
    ended.countDown(); // the last count comes after finish(): join() returns once it is done
  }

  /** The last task ended: no snapshot reads the state any more once the checkpointer is closed. */
  private void finish() {
    Map<String, Long> perStep = new LinkedHashMap<>(source.receivedPerStep());
    long exchanged = source.sentToOthers();
    for (KeyedStageTask task : keyedTasks) {
      perStep.putAll(task.receivedPerStep());
      exchanged += task.sentToOthers();
    }
    records = new WorkerRecords(source.recordsRead(), exchanged, perStep);
    if (!checkpointer.closeAndAwaitWriter()) {
      // closing native state under a snapshot that still reads it would crash the process
      LOG.atError()
          .addKeyValue("subtask", subtask)
          .log("a snapshot is still being written after 30 s; its keyed state is left open");
      return;
    }
    for (AutoCloseable state : stateToClose) {
      try {
        state.close();
      } catch (Exception e) {
        LOG.atWarn().addKeyValue("subtask", subtask).setCause(e).log("cannot close keyed state");
      }
    }
  }

  // ---- the coordinator's side ----

  @Override
  public void triggerCheckpoint(long checkpointId, SnapshotType type, StopMode stop) {
    if (stop.stops()) {
      stopAt = new StopAt(checkpointId, stop);
    }
    source.triggerCheckpoint(checkpointId, type, stop);
  }

  /**
   * How snapshot {@code checkpointId} stops this worker: {@link StopMode#NONE} when it does not.
   */
  StopMode stopsAt(long checkpointId) {
    StopAt stop = stopAt;
    return stop != null && stop.checkpointId() == checkpointId ? stop.mode() : StopMode.NONE;
  }

  @Override
  public void notifyCheckpointComplete(long checkpointId) {
    source.notifyCheckpointComplete(checkpointId);
    keyedTasks.forEach(task -> task.notifyCheckpointComplete(checkpointId));
  }

  /** Ends after the messages already sent (a finished job's last notifications), stage by stage. */
  public void stop() {
    source.stop();
  }

  /** Stops at once: the job is failing over. */
  public void cancel() {
    tasks.forEach(StageTask::cancel);
  }

  /** Waits up to {@code millis} for every task to end. */
  public void join(long millis) throws InterruptedException {
    ended.await(millis, TimeUnit.MILLISECONDS);
  }

  /** What this worker's stages have done so far, as they last published it. */
  public WorkerCounters counters() {
    WorkerCounters sum = WorkerCounters.NONE;
    for (int i = 0; i < published.length(); i++) {
      WorkerCounters stage = published.get(i);
      sum = stage == null ? sum : sum.plus(stage);
    }
    return sum;
  }

  /** What this worker read, sent and processed; complete once it has ended ({@link #join}). */
  public WorkerRecords records() {
    return records;
  }
}
