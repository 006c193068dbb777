package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.api.Pipeline;
import io.statejob.runtime.checkpoint.SubtaskCheckpointer.FrozenStage;
import io.statejob.runtime.exchange.ExchangeEvent;
import io.statejob.runtime.exchange.RecordWriter;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.state.KeyedStateSnapshot;
import io.statejob.runtime.state.OperatorStateBackend;
import java.util.concurrent.TimeUnit;

/**
 * Stage 0 of a worker: reads the worker's splits, runs the steps up to the first {@code keyBy} and
 * sends each record to the owner of its key group. A checkpoint starts here: between two records
 * the task records its splits' positions and sends the barrier after everything it sent before.
 */
final class SourceTask extends StageTask {
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final long watermarkIntervalNanos;
  private SplitReaders readers;
  private RecordWriter writer;
  private OperatorStateBackend operatorState;
  private boolean finished;
  private long watermarkSent = Long.MIN_VALUE;
  private long nextWatermarkNanos;

  SourceTask(Stage stage, Worker worker) {
    super(stage, worker);
    this.watermarkIntervalNanos =
        worker.config().get(RuntimeOptions.AUTO_WATERMARK_INTERVAL).toNanos();
  }

  @Override
  protected void setUp() throws Exception {
    output = worker.openOutput(stage, record);
    writer = output.writer();
    operatorState = worker.restore().operatorState(stage);
    chain = new StageChain(stage, null, record, output);
    chain.open(
        operatorState,
        null,
        worker.restore().isRestored(),
        worker.subtask(),
        worker.parallelism(),
        worker.config());
    worker.restore().checkClaimed(operatorState);
    Pipeline.SourceStep source = worker.pipeline().source();
    readers =
        new SplitReaders(
            source.source(), source.watermarks(), worker.restore().splitsFor(source.source()));
    // announces this task to the stages downstream, with its splits' restored watermark
    watermarkSent = readers.watermark();
    writer.broadcast(new ExchangeEvent.Watermark(watermarkSent));
  }

  @Override
  protected void loop() throws Exception {
    long sinceCheck = 0;
    while (running) {
      drainMailbox();
      if (!running) {
        break;
      }
      if (!finished) {
        Object value = readers.next();
        if (value != null) {
          record.timestamp = readers.timestamp();
          chain.push(value);
          if (watermarkIntervalNanos == 0) {
            sendWatermark(readers.watermark());
          }
          if (++sinceCheck == 64) {
            sinceCheck = 0;
            onTick(System.nanoTime());
          }
          continue;
        }
        if (readers.allFinished()) {
          finished = true;
          // fires every event-time timer downstream before the final checkpoint's barrier
          sendWatermark(Long.MAX_VALUE);
          worker.sourceFinished();
        }
      }
      long now = System.nanoTime();
      onTick(now);
      long wait = finished ? IDLE_WAIT_NANOS : readers.nanosUntilNext();
      wait = Math.min(wait, writer.nextFlushNanos() - now);
      if (emitsPeriodicWatermarks()) {
        wait = Math.min(wait, nextWatermarkNanos - now);
      }
      if (wait > 0) {
        awaitMail(wait);
      }
    }
  }

  private boolean emitsPeriodicWatermarks() {
    return !finished && watermarkIntervalNanos > 0;
  }

  /** Sends batches that waited long enough and, when due, the watermark; publishes counters. */
  private void onTick(long now) throws Exception {
    writer.flushDue(now);
    if (emitsPeriodicWatermarks() && now - nextWatermarkNanos >= 0) {
      sendWatermark(readers.watermark());
      nextWatermarkNanos = now + watermarkIntervalNanos;
    }
    worker.publish(
        this,
        new WorkerCounters(readers.recordsRead(), 0, 0, sentToOthers(), 0, writer.blockedNanos()));
  }

  private void sendWatermark(long watermark) throws Exception {
    if (watermark > watermarkSent) {
      watermarkSent = watermark;
      writer.broadcast(new ExchangeEvent.Watermark(watermark));
    }
  }

  void triggerCheckpoint(long checkpointId, SnapshotType type) {
    mail(
        () -> {
          try {
            chain.snapshotFunctions(checkpointId);
            worker
                .checkpointer()
                .stageFrozen(
                    checkpointId,
                    type,
                    stage.index(),
                    new FrozenStage(
                        stage.id(),
                        readers.positions(),
                        KeyedStateSnapshot.NONE,
                        operatorState.snapshot(),
                        0,
                        watermarkSent));
          } catch (Exception e) {
            worker.checkpointer().decline(checkpointId, e);
          }
          // sent even after a decline, so that no stage downstream waits for it to align
          writer.broadcast(new ExchangeEvent.Barrier(checkpointId, type));
        });
  }

  void notifyCheckpointComplete(long checkpointId) {
    mail(() -> chain.notifyCheckpointComplete(checkpointId));
  }

  /** Ends the task after the mails before this one; the stages downstream end in turn. */
  void stop() {
    mail(
        () -> {
          writer.broadcast(new ExchangeEvent.EndOfData());
          running = false;
        });
  }

  long recordsRead() {
    return readers == null ? 0 : readers.recordsRead();
  }

  @Override
  protected void tearDown() throws Exception {
    try {
      if (chain != null) {
        chain.close();
      }
    } finally {
      if (readers != null) {
        readers.close();
      }
    }
  }
}
