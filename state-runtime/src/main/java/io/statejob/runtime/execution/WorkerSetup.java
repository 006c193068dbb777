package io.statejob.runtime.execution;

import io.statejob.api.config.RuntimeConfig;
import io.statejob.runtime.checkpoint.CoordinatorGateway;
import io.statejob.runtime.exchange.Exchange;
import io.statejob.runtime.snapshot.CompletedCheckpoint;
import io.statejob.runtime.state.StateBackend;
import io.statejob.runtime.storage.CheckpointStorage;
import java.util.Optional;

/**
 * Everything a worker is started with.
 *
 * @param attempt the job's attempt the worker runs, from 0
 * @param subtask the worker's index
 * @param parallelism number of workers
 * @param program builds the worker's own pipeline
 * @param backend the state backend
 * @param storage where snapshots go
 * @param restore the checkpoint to restore, if any
 * @param config the runtime configuration
 * @param coordinator where the worker reports
 * @param exchange carries records between the workers of the attempt
 */
public record WorkerSetup(
    int attempt,
    int subtask,
    int parallelism,
    JobProgram program,
    StateBackend backend,
    CheckpointStorage storage,
    Optional<CompletedCheckpoint> restore,
    RuntimeConfig config,
    CoordinatorGateway coordinator,
    Exchange exchange) {}
