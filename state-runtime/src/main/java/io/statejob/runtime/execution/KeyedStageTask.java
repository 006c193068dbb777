package io.statejob.runtime.execution;

import io.statejob.runtime.api.Collector;
import io.statejob.runtime.checkpoint.SubtaskCheckpointer.FrozenStage;
import io.statejob.runtime.exchange.ExchangeEvent;
import io.statejob.runtime.exchange.KeyedRecord;
import io.statejob.runtime.exchange.RecordWriter;
import io.statejob.runtime.exchange.StageInput;
import io.statejob.runtime.execution.time.TimerServices;
import io.statejob.runtime.snapshot.StopMode;
import io.statejob.runtime.state.KeyedStateBackend;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A stage after a {@code keyBy} on one worker: takes the records of the worker's key groups from
 * every worker, runs its keyed steps and sends its output on to the next stage or into its sink.
 * When a checkpoint barrier has arrived from every worker (aligned), it snapshots its state and
 * forwards the barrier. After the barrier of a savepoint that stops the job, no input can come and
 * its processing-time timers no longer fire: the replacing pods fire them from the savepoint.
 */
final class KeyedStageTask extends StageTask {
  /** Longest wait for input before the mailbox is looked at again. */
  private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private KeyedStateBackend<?> keyedState;
  private TimerServices timers;
  private RecordWriter writer;
  private StageInput input;
  private boolean stopped;

  KeyedStageTask(Stage stage, Worker worker) {
    super(stage, worker);
  }

  @Override
  protected void setUp() throws Exception {
    keyedState = worker.createKeyedState(stage);
    worker.restore().restoreKeyedState(stage, keyedState);
    timers = new TimerServices(keyedState, worker.restore().watermark(stage));
    Collector<Object> next = value -> {};
    if (stage.output().isPresent()) {
      output = worker.openOutput(stage, record);
      writer = output.writer();
      next = output;
    }
    openChain(keyedState, timers, next);
    input = new StageInput(worker.openInput(stage.index()));
    if (writer != null) {
      // announces this task to the next stage, with its restored watermark
      writer.broadcast(new ExchangeEvent.Watermark(timers.currentWatermark()));
    }
  }

  @Override
  protected void loop() throws Exception {
    long sinceCheck = 0;
    while (running) {
      drainMailbox();
      StageInput.Item item = input.poll();
      if (item != null) {
        handle(item);
        if (++sinceCheck == 64) {
          sinceCheck = 0;
          onTick(System.nanoTime());
        }
        continue;
      }
      long now = System.nanoTime();
      onTick(now);
      long wait = MAX_WAIT_NANOS;
      if (writer != null) {
        wait = Math.min(wait, writer.nextFlushNanos() - now);
      }
      long timer = stopped ? Long.MAX_VALUE : timers.nextProcessingTimer();
      if (timer != Long.MAX_VALUE) {
        wait =
            Math.min(
                wait,
                TimeUnit.MILLISECONDS.toNanos(Math.max(0, timer - System.currentTimeMillis())));
      }
      item = input.next(Math.max(0, wait), TimeUnit.NANOSECONDS);
      if (item != null) {
        handle(item);
      }
    }
  }

  private void onTick(long now) throws Exception {
    if (!stopped) {
      timers.advanceProcessingTime();
    }
    if (writer != null) {
      writer.flushDue(now);
    }
    worker.publish(
        this,
        new WorkerCounters(
            0,
            stage.index() == 1 ? chain.recordsProcessed() : 0,
            chain.lateRecordsDropped(),
            sentToOthers(),
            input.recordsFromOthers(),
            writer == null ? 0 : writer.blockedNanos(),
            timers.currentWatermark(),
            -1));
  }

  private void handle(StageInput.Item item) throws Exception {
    if (item instanceof KeyedRecord element) {
      record.timestamp = element.timestamp();
      record.keyGroup = element.keyGroup();
      chain.push(element.value());
    } else if (item instanceof StageInput.Watermark w) {
      timers.advanceWatermark(w.timestamp());
      if (writer != null) {
        writer.broadcast(new ExchangeEvent.Watermark(w.timestamp()));
      }
    } else if (item instanceof StageInput.Aligned aligned) {
      snapshot(aligned);
    } else if (item instanceof StageInput.EndOfInput) {
      // every worker was told of the final checkpoint's completion before being stopped: that
      // notice may still wait here, and the sink commits on it
      drainMailbox();
      if (writer != null) {
        writer.broadcast(new ExchangeEvent.EndOfData());
      }
      running = false;
    }
  }

  private void snapshot(StageInput.Aligned aligned) throws Exception {
    long id = aligned.checkpointId();
    StopMode stop = worker.stopsAt(id);
    // a drain advanced event time to its end to fire everything; a job restored from it starts
    // from the sources' watermarks instead, as a Flink job restored from a drained savepoint does
    long watermark = stop == StopMode.DRAIN ? Long.MIN_VALUE : timers.currentWatermark();
    try {
      chain.snapshotFunctions(id);
      worker
          .checkpointer()
          .stageFrozen(
              id,
              aligned.type(),
              stage.index(),
              new FrozenStage(
                  stage.id(),
                  Map.of(),
                  keyedState.snapshot(id, aligned.type()),
                  operatorState.snapshot(),
                  aligned.alignmentNanos(),
                  watermark));
    } catch (Exception e) {
      worker.checkpointer().decline(id, e);
    }
    if (writer != null) {
      writer.broadcast(new ExchangeEvent.Barrier(id, aligned.type()));
    }
    stopped |= stop.stops();
  }

  void notifyCheckpointComplete(long checkpointId) {
    mail(
        () -> {
          keyedState.notifyCheckpointComplete(checkpointId);
          chain.notifyCheckpointComplete(checkpointId);
        });
  }

  @Override
  protected void tearDown() throws Exception {
    if (chain != null) {
      chain.close();
    }
  }
}
