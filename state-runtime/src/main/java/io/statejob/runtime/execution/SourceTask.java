package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeOptions;
import io.statejob.runtime.api.Pipeline;
import io.statejob.runtime.api.Source;
import io.statejob.runtime.api.SourceSplit;
import io.statejob.runtime.checkpoint.SubtaskCheckpointer.FrozenStage;
import io.statejob.runtime.exchange.ExchangeEvent;
import io.statejob.runtime.exchange.RecordWriter;
import io.statejob.runtime.snapshot.SnapshotType;
import io.statejob.runtime.snapshot.SourcePosition;
import io.statejob.runtime.snapshot.StopMode;
import io.statejob.runtime.state.KeyedStateSnapshot;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 0 of a worker: reads the worker's splits, runs the steps up to the first {@code keyBy} and
 * sends each record to the owner of its key group. A checkpoint starts here: between two records
 * the task records its splits' positions and sends the barrier after everything it sent before.
 * When the source discovers splits, the task lists them again periodically and starts reading those
 * its worker owns. A savepoint that stops the job is the last thing it sends: it then only answers
 * its mail until the attempt ends.
 */
final class SourceTask extends StageTask {
  private static final Logger LOG = LoggerFactory.getLogger(SourceTask.class);
  private static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final long watermarkIntervalNanos;
  private Source<?> source;
  private SplitAssignment assignment;
  private long discoveryIntervalNanos;
  private long nextDiscoveryNanos;
  private SplitReaders readers;
  private RecordWriter writer;
  private boolean finished;

  /** A savepoint that stops the job was triggered: nothing more is read or sent. */
  private boolean stopped;

  private long watermarkSent = Long.MIN_VALUE;

  /** Whether the last event-time message sent was {@link ExchangeEvent.Idle}. */
  private boolean idleSent;

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
    openChain(null, null, output);
    Pipeline.SourceStep step = worker.pipeline().source();
    source = step.source();
    assignment = worker.restore().splitsFor(source);
    readers = new SplitReaders(source, step.watermarks(), assignment.initialSplits());
    discoveryIntervalNanos = source.discoveryInterval().toNanos();
    nextDiscoveryNanos = System.nanoTime() + discoveryIntervalNanos;
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
      if (stopped) {
        awaitMail(IDLE_WAIT_NANOS);
        continue;
      }
      if (!finished) {
        Object value = readers.next();
        if (value != null) {
          record.timestamp = readers.timestamp();
          chain.push(value);
          if (watermarkIntervalNanos == 0 || idleSent) {
            sendEventTime();
          }
          if (++sinceCheck == 64) {
            sinceCheck = 0;
            onTick(System.nanoTime());
          }
          continue;
        }
        if (readers.allFinished() && !discoversSplits()) {
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
      if (discoversSplits()) {
        wait = Math.min(wait, nextDiscoveryNanos - now);
      }
      if (wait > 0) {
        awaitMail(wait);
      }
    }
  }

  private boolean emitsPeriodicWatermarks() {
    return !finished && watermarkIntervalNanos > 0;
  }

  private boolean discoversSplits() {
    return discoveryIntervalNanos > 0;
  }

  /** Sends batches that waited long enough and, when due, the watermark; publishes counters. */
  private void onTick(long now) throws Exception {
    writer.flushDue(now);
    if (emitsPeriodicWatermarks() && now - nextWatermarkNanos >= 0) {
      sendEventTime();
      nextWatermarkNanos = now + watermarkIntervalNanos;
    }
    if (discoversSplits() && now - nextDiscoveryNanos >= 0) {
      discoverSplits();
      nextDiscoveryNanos = now + discoveryIntervalNanos;
    }
    worker.publish(
        this,
        new WorkerCounters(
            readers.recordsRead(),
            0,
            0,
            sentToOthers(),
            0,
            writer.blockedNanos(),
            Long.MAX_VALUE,
            readers.pendingRecords()));
  }

  /**
   * Sends the splits' watermark when it advanced, or {@link ExchangeEvent.Idle} once when no split
   * holds event time back; a watermark after idleness marks the channels active again.
   */
  private void sendEventTime() throws Exception {
    if (!readers.holdsBackTime()) {
      if (!idleSent) {
        idleSent = true;
        writer.broadcast(new ExchangeEvent.Idle());
      }
      return;
    }
    sendWatermark(readers.watermark());
  }

  private void sendWatermark(long watermark) throws Exception {
    if (watermark > watermarkSent || idleSent) {
      idleSent = false;
      watermarkSent = Math.max(watermarkSent, watermark);
      writer.broadcast(new ExchangeEvent.Watermark(watermarkSent));
    }
  }

  /**
   * Lists the source's splits and starts reading, from their first record, the new ones this worker
   * owns. A failed listing is retried at the next interval: the splits read already go on.
   */
  private void discoverSplits() {
    try {
      for (SourceSplit split : assignment.discover(source.splits())) {
        readers.add(split, SourcePosition.START);
        LOG.atInfo()
            .addKeyValue("source", source.name())
            .addKeyValue("split", split.id())
            .addKeyValue("subtask", worker.subtask())
            .log("reading a newly discovered split");
      }
    } catch (Exception e) {
      LOG.atWarn()
          .addKeyValue("source", source.name())
          .addKeyValue("error", e.toString())
          .log("cannot list the source's splits; trying again at the next discovery interval");
    }
  }

  void triggerCheckpoint(long checkpointId, SnapshotType type, StopMode stop) {
    mail(
        () -> {
          long watermark = watermarkSent;
          if (stop == StopMode.DRAIN) {
            // fires every event-time timer downstream before the barrier; the snapshot keeps the
            // watermark reached, so a job restored from it goes on in event time from there
            sendWatermark(Long.MAX_VALUE);
          }
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
                        readers.positions(checkpointId),
                        KeyedStateSnapshot.NONE,
                        operatorState.snapshot(),
                        0,
                        watermark));
          } catch (Exception e) {
            worker.checkpointer().decline(checkpointId, e);
          }
          // sent even after a decline, so that no stage downstream waits for it to align
          writer.broadcast(new ExchangeEvent.Barrier(checkpointId, type));
          if (stop.stops()) {
            stopped = true;
            LOG.atInfo()
                .addKeyValue("subtask", worker.subtask())
                .addKeyValue("savepoint", checkpointId)
                .addKeyValue("drain", stop == StopMode.DRAIN)
                .log("sources stopped at the savepoint's barrier");
          }
        });
  }

  void notifyCheckpointComplete(long checkpointId) {
    mail(
        () -> {
          chain.notifyCheckpointComplete(checkpointId);
          readers.notifyCheckpointComplete(checkpointId);
        });
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
      try {
        if (readers != null) {
          readers.close();
        }
      } finally {
        if (source != null) {
          source.close();
        }
      }
    }
  }
}
