package io.statejob.runtime.cluster;

import io.statejob.runtime.checkpoint.CoordinatorGateway;
import io.statejob.runtime.checkpoint.WorkerGateway;
import io.statejob.runtime.cluster.ClusterMessages.Assignment;
import io.statejob.runtime.cluster.ClusterMessages.Heartbeat;
import io.statejob.runtime.cluster.ClusterMessages.Registration;
import io.statejob.runtime.concurrent.DaemonThreads;
import io.statejob.runtime.execution.WorkerCounters;
import io.statejob.runtime.execution.WorkerPool;
import io.statejob.runtime.server.HttpCalls;
import io.statejob.runtime.snapshot.MetadataCodec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's view of worker processes (pod mode). Workers register and heartbeat; an attempt
 * starts once every subtask has a live registration, and fails when one of its workers stops
 * heartbeating, restarts, or cannot be reached.
 */
final class RemoteWorkers implements WorkerPool, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteWorkers.class);

  /** A registered worker process. */
  private static final class Member {
    final Registration registration;
    volatile long lastSeenNanos = System.nanoTime();
    volatile Heartbeat lastHeartbeat;

    Member(Registration registration) {
      this.registration = registration;
    }

    String url() {
      return registration.url();
    }
  }

  /** The attempt the workers run, and the members that run it, by subtask. */
  private record Running(Attempt attempt, List<Member> members, byte[] restoreMetadata) {}

  private final Duration heartbeatTimeout;
  private final HttpCalls http;
  private final Object lock = new Object();
  private final Map<Integer, Member> registered = new HashMap<>();
  private final ScheduledExecutorService monitor = DaemonThreads.scheduler("heartbeat-monitor");
  private Running running;
  private boolean failed;
  private boolean closed;

  RemoteWorkers(Duration heartbeatInterval, Duration heartbeatTimeout) {
    this.heartbeatTimeout = heartbeatTimeout;
    this.http = new HttpCalls(heartbeatTimeout);
    monitor.scheduleWithFixedDelay(
        this::checkHeartbeats,
        heartbeatInterval.toMillis(),
        heartbeatInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  // ---- what workers send

  void register(Registration registration) {
    Member member = new Member(registration);
    synchronized (lock) {
      registered.put(registration.subtask(), member);
      lock.notifyAll();
    }
    LOG.atInfo()
        .addKeyValue("subtask", registration.subtask())
        .addKeyValue("url", registration.url())
        .log("worker registered");
    // a member of the running attempt that registers anew has restarted
    checkHeartbeats();
  }

  /** False when the worker is unknown (it must register) or no longer the registered process. */
  boolean heartbeat(int subtask, Heartbeat heartbeat) {
    synchronized (lock) {
      Member member = registered.get(subtask);
      if (member == null || !member.registration.incarnation().equals(heartbeat.incarnation())) {
        return false;
      }
      member.lastSeenNanos = System.nanoTime();
      member.lastHeartbeat = heartbeat;
      return true;
    }
  }

  /** Where workers of {@code attempt} report; empty when that attempt is not running. */
  Optional<CoordinatorGateway> coordinatorFor(int attempt) {
    synchronized (lock) {
      return running != null && running.attempt().number() == attempt
          ? Optional.of(running.attempt().coordinator())
          : Optional.empty();
    }
  }

  /** The encoded metadata of the checkpoint {@code attempt} restores. */
  Optional<byte[]> restoreMetadata(int attempt) {
    synchronized (lock) {
      return running != null && running.attempt().number() == attempt
          ? Optional.ofNullable(running.restoreMetadata())
          : Optional.empty();
    }
  }

  // ---- the pool

  @Override
  public List<WorkerGateway> start(Attempt attempt) throws Exception {
    byte[] restore =
        attempt.restore().isPresent()
            ? MetadataCodec.encode(attempt.restore().get().metadata())
            : null;
    while (true) {
      List<Member> members = awaitRegistrations(attempt.parallelism());
      Assignment assignment =
          new Assignment(
              attempt.number(),
              attempt.parallelism(),
              attempt.restore().map(c -> c.path()).orElse(null),
              members.stream().map(m -> m.registration.exchange()).toList());
      Running started = new Running(attempt, members, restore);
      synchronized (lock) {
        running = started;
        failed = false;
      }
      List<Member> unreachable = assign(members, assignment);
      if (unreachable.isEmpty()) {
        LOG.atInfo()
            .addKeyValue("attempt", attempt.number())
            .addKeyValue("workers", members.size())
            .addKeyValue("restore", assignment.restorePath())
            .log("attempt started");
        List<WorkerGateway> gateways = new ArrayList<>();
        for (int subtask = 0; subtask < members.size(); subtask++) {
          gateways.add(
              new HttpWorkerGateway(
                  http,
                  members.get(subtask).url(),
                  attempt.number(),
                  failureReporter(started, subtask)));
        }
        return gateways;
      }
      // the worker went away between its registration and now: wait for it to come back
      synchronized (lock) {
        unreachable.forEach(m -> registered.remove(m.registration.subtask(), m));
      }
      stop(true);
    }
  }

  /** Waits until subtasks 0..parallelism-1 all have a live registration. */
  private List<Member> awaitRegistrations(int parallelism) throws InterruptedException {
    long lastLog = System.nanoTime();
    synchronized (lock) {
      while (true) {
        if (closed) {
          throw new CancellationException("the coordinator is shutting down");
        }
        registered.values().removeIf(this::silent);
        List<Member> members = new ArrayList<>();
        for (int subtask = 0; subtask < parallelism; subtask++) {
          Member member = registered.get(subtask);
          if (member != null) {
            members.add(member);
          }
        }
        if (members.size() == parallelism) {
          return members;
        }
        if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(30)) {
          lastLog = System.nanoTime();
          LOG.atInfo()
              .addKeyValue("registered", members.size())
              .addKeyValue("parallelism", parallelism)
              .log("waiting for workers to register");
        }
        lock.wait(heartbeatTimeout.toMillis() / 4 + 1);
      }
    }
  }

  /** Sends the assignment to every member at once; returns those that did not take it. */
  private List<Member> assign(List<Member> members, Assignment assignment) throws IOException {
    byte[] body = io.statejob.runtime.server.HttpEndpoints.JSON.writeValueAsBytes(assignment);
    List<CompletableFuture<Boolean>> replies = new ArrayList<>();
    for (Member member : members) {
      replies.add(
          http.postAsync(member.url() + "/attempts", body)
              .thenApply(HttpCalls::succeeded)
              .exceptionally(e -> false));
    }
    List<Member> unreachable = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (!replies.get(i).join()) {
        unreachable.add(members.get(i));
      }
    }
    return unreachable;
  }

  @Override
  public void stop(boolean cancel) {
    Running stopping;
    synchronized (lock) {
      stopping = running;
      running = null;
    }
    if (stopping == null) {
      return;
    }
    String path = "/attempts/" + stopping.attempt().number() + (cancel ? "/cancel" : "/stop");
    // the workers answer once their task threads have ended; one that is gone is stopped already
    CompletableFuture.allOf(
            stopping.members().stream()
                .map(m -> http.postAsync(m.url() + path, new byte[0]).exceptionally(e -> null))
                .toArray(CompletableFuture[]::new))
        .join();
  }

  @Override
  public WorkerCounters counters() {
    synchronized (lock) {
      if (running == null) {
        return WorkerCounters.NONE;
      }
      WorkerCounters sum = WorkerCounters.NONE;
      for (Member member : running.members()) {
        Heartbeat heartbeat = member.lastHeartbeat;
        if (heartbeat != null && heartbeat.attempt() == running.attempt().number()) {
          sum = sum.plus(heartbeat.counters());
        }
      }
      return sum;
    }
  }

  /** Fails the running attempt when one of its workers has gone silent or restarted. */
  private void checkHeartbeats() {
    Running checked;
    String problem = null;
    int subtask = -1;
    synchronized (lock) {
      checked = running;
      if (checked == null || failed) {
        return;
      }
      for (int i = 0; i < checked.members().size() && problem == null; i++) {
        Member member = checked.members().get(i);
        if (registered.get(i) != member) {
          problem = "worker " + i + " restarted"; // a new process registered for its ordinal
        } else if (silent(member)) {
          problem = "worker " + i + " sent no heartbeat for " + heartbeatTimeout;
        }
        subtask = i;
      }
    }
    if (problem != null) {
      failAttempt(checked, subtask, new WorkerLostException(problem));
    }
  }

  private boolean silent(Member member) {
    return System.nanoTime() - member.lastSeenNanos > heartbeatTimeout.toNanos();
  }

  private HttpWorkerGateway.FailureReporter failureReporter(Running attempt, int subtask) {
    return cause -> failAttempt(attempt, subtask, cause);
  }

  /**
   * Fails {@code attempt} once, if it is still the running one: the first failure of its workers
   * restarts the job, and a late failure of an attempt already replaced is dropped.
   */
  private void failAttempt(Running attempt, int subtask, Throwable cause) {
    synchronized (lock) {
      if (running != attempt || failed) {
        return;
      }
      failed = true;
    }
    attempt.attempt().coordinator().reportFailure(subtask, cause);
  }

  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    monitor.shutdownNow();
  }

  /** A worker process is gone or no longer runs the attempt. */
  static final class WorkerLostException extends Exception {
    WorkerLostException(String message) {
      super(message);
    }
  }
}
