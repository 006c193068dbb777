package io.statejob.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.statejob.operator.MockApi;
import io.statejob.operator.resources.CanonicalJson;
import io.statejob.operator.resources.ConfigHash;
import io.statejob.operator.resources.Labels;
import io.statejob.runtime.cli.JobLaunch;
import io.statejob.runtime.cli.StateJobCli;
import io.statejob.runtime.cluster.CoordinatorProcess;
import io.statejob.runtime.cluster.WorkerProcess;
import io.statejob.runtime.concurrent.DaemonThreads;
import io.statejob.runtime.execution.JobListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet, the StatefulSet controller and the Job controller for StateJob's pods on the
 * mock API server. Every 100 ms it compares the operator's coordinator and worker StatefulSets with
 * the processes it runs: it starts a process per replica from the pod template's args and
 * ConfigMap, replaces processes whose pod template changed, stops those no longer wanted, and
 * writes their readiness into the objects' status. Processes run in this JVM and talk HTTP on
 * 127.0.0.1; the coordinator listens on the port the operator is configured to poll. A batch Job
 * (the cleanup pod) runs its command line once, after the StatefulSets' processes of the same sync
 * stopped.
 */
final class Kubelet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);
  private static final String CONFIG_MOUNT = "/etc/statejob/";
  private static final String LOCAL_STATE_KEY = "state.backend.rocksdb.localdir";

  /** A running pod: its process and the template it was started from. */
  private record Pod<P extends AutoCloseable>(String templateHash, P process) {}

  private final KubernetesClient client;
  private final String namespace;
  private final Path root;
  private final int coordinatorPort;
  private final JobListener coordinatorListener;
  private final Map<String, Pod<CoordinatorProcess>> coordinators = new HashMap<>();
  private final Map<String, Map<Integer, Pod<WorkerProcess>>> workers = new HashMap<>();
  private final ScheduledExecutorService loop = DaemonThreads.scheduler("kubelet");
  private int podsStarted;
  private final java.util.Set<String> jobsRun = new java.util.HashSet<>();

  /**
   * @param root where pods' mounted files and local volumes go
   * @param coordinatorListener told of every coordinator's job events
   */
  Kubelet(
      KubernetesClient client,
      String namespace,
      Path root,
      int coordinatorPort,
      JobListener coordinatorListener) {
    this.client = client;
    this.namespace = namespace;
    this.root = root;
    this.coordinatorPort = coordinatorPort;
    this.coordinatorListener = coordinatorListener;
    loop.scheduleWithFixedDelay(this::syncQuietly, 0, 100, TimeUnit.MILLISECONDS);
  }

  /** The coordinator process of a job, once running. */
  synchronized Optional<CoordinatorProcess> coordinator(String job) {
    return Optional.ofNullable(coordinators.get(job + "-coordinator")).map(Pod::process);
  }

  /** Kills a worker pod; like a kubelet, this one starts it again at its next sync. */
  void killWorker(String job, int ordinal) throws Exception {
    Pod<WorkerProcess> pod;
    synchronized (this) {
      pod = workers.getOrDefault(job + "-worker", Map.of()).get(ordinal);
      workers.get(job + "-worker").remove(ordinal);
    }
    pod.process().close();
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (Exception e) {
      LOG.atWarn().setCause(e).log("kubelet sync failed");
    }
  }

  private synchronized void sync() throws Exception {
    List<StatefulSet> sets =
        client
            .apps()
            .statefulSets()
            .inNamespace(namespace)
            .withLabel(Labels.MANAGED_BY, Labels.OPERATOR)
            .list()
            .getItems();
    List<StatefulSet> coordinatorSets = ofComponent(sets, Labels.COORDINATOR);
    List<StatefulSet> workerSets = ofComponent(sets, Labels.WORKER);
    for (String gone : List.copyOf(coordinators.keySet())) {
      if (!namesOf(coordinatorSets).contains(gone)) {
        coordinators.remove(gone).process().close();
      }
    }
    for (StatefulSet set : coordinatorSets) {
      syncCoordinator(set);
    }
    for (String gone : List.copyOf(workers.keySet())) {
      if (!namesOf(workerSets).contains(gone)) {
        closeAll(workers.remove(gone).values());
      }
    }
    for (StatefulSet set : workerSets) {
      syncWorkers(set);
    }
    for (Job job :
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .withLabel(Labels.MANAGED_BY, Labels.OPERATOR)
            .list()
            .getItems()) {
      if (jobsRun.add(job.getMetadata().getUid())) {
        runToCompletion(job);
      }
    }
  }

  /** Runs a Job's pod, the runtime's command line with its ConfigMap, and records how it ended. */
  private void runToCompletion(Job job) throws Exception {
    PodTemplateSpec template = job.getSpec().getTemplate();
    Path mount =
        Files.createDirectories(root.resolve(job.getMetadata().getName() + "-" + ++podsStarted));
    writeConfigMap(configMapName(template), mount);
    List<String> args =
        template.getSpec().getContainers().get(0).getArgs().stream()
            .map(arg -> arg.startsWith(CONFIG_MOUNT) ? mounted(mount, arg).toString() : arg)
            .toList();
    int exit = StateJobCli.commandLine().execute(args.toArray(String[]::new));
    MockApi.finishJob(client, job, exit == 0 ? "Complete" : "Failed");
  }

  private static List<StatefulSet> ofComponent(List<StatefulSet> sets, String component) {
    return sets.stream()
        .filter(s -> component.equals(s.getMetadata().getLabels().get(Labels.COMPONENT)))
        .toList();
  }

  private static List<String> namesOf(List<StatefulSet> sets) {
    return sets.stream().map(s -> s.getMetadata().getName()).toList();
  }

  private void syncCoordinator(StatefulSet set) throws Exception {
    String name = set.getMetadata().getName();
    PodTemplateSpec template = set.getSpec().getTemplate();
    String hash = templateHash(template);
    Pod<CoordinatorProcess> pod = coordinators.get(name);
    boolean wanted = set.getSpec().getReplicas() > 0;
    if (pod != null && (!wanted || !pod.templateHash().equals(hash))) {
      coordinators.remove(name).process().close(); // one identity: the old pod goes first
      pod = null;
    }
    if (pod == null && wanted) {
      JobLaunch launch = launch(name + "-" + ++podsStarted, template, Map.of());
      pod =
          new Pod<>(
              hash,
              new CoordinatorProcess(
                  launch.config(), launch.backend(), coordinatorPort, coordinatorListener));
      coordinators.put(name, pod);
    }
    int running = pod == null ? 0 : 1;
    reportReady(set, running, running);
  }

  private void syncWorkers(StatefulSet set) throws Exception {
    String name = set.getMetadata().getName();
    PodTemplateSpec template = set.getSpec().getTemplate();
    String hash = templateHash(template);
    int replicas = set.getSpec().getReplicas();
    Map<Integer, Pod<WorkerProcess>> pods = workers.computeIfAbsent(name, n -> new HashMap<>());
    for (Integer ordinal : List.copyOf(pods.keySet())) {
      if (ordinal >= replicas || !pods.get(ordinal).templateHash().equals(hash)) {
        pods.remove(ordinal).process().close();
      }
    }
    for (int ordinal = 0; ordinal < replicas; ordinal++) {
      if (!pods.containsKey(ordinal)) {
        String podName = name + "-" + ordinal;
        // the worker's own volume, kept across restarts of its pod as a PVC would be
        Path localState = root.resolve(podName + "-local-state");
        JobLaunch launch =
            launch(
                podName + "-" + ++podsStarted,
                template,
                Map.of(LOCAL_STATE_KEY, localState.toString()));
        pods.put(
            ordinal,
            new Pod<>(
                hash,
                new WorkerProcess(
                    ordinal,
                    "http://127.0.0.1:" + coordinatorPort,
                    "127.0.0.1",
                    0,
                    launch.program(),
                    launch.config(),
                    launch.backend())));
      }
    }
    int ready = (int) pods.values().stream().filter(p -> p.process().isRunning()).count();
    reportReady(set, pods.size(), ready);
  }

  private void reportReady(StatefulSet set, int replicas, int ready) {
    if (set.getStatus() == null || !Objects.equals(set.getStatus().getReadyReplicas(), ready)) {
      set.setStatus(
          new StatefulSetStatusBuilder()
              .withReplicas(replicas)
              .withReadyReplicas(ready)
              .withAvailableReplicas(ready)
              .build());
      client.resource(set).updateStatus();
    }
  }

  /**
   * The pod's job as its container would start it: the args name the role and files under the
   * mounted ConfigMap, written here to a directory of the pod's own. The HTTP and exchange ports
   * are any free ones: pods here share one host, where each would have an IP of its own.
   */
  private JobLaunch launch(String podName, PodTemplateSpec template, Map<String, String> overrides)
      throws Exception {
    Container container = template.getSpec().getContainers().get(0);
    List<String> args = container.getArgs();
    Path mount = Files.createDirectories(root.resolve(podName));
    writeConfigMap(configMapName(template), mount);
    Map<String, String> all = new HashMap<>(dynamicProperties(podName, template, args));
    all.putAll(overrides);
    all.put("rest.port", "0");
    all.put("exchange.port", "0");
    int restorePoint = args.indexOf("--restore-point");
    return JobLaunch.forPod(
            mounted(mount, args.get(1)),
            Optional.of(mounted(mount, args.get(3))),
            restorePoint < 0
                ? Optional.empty()
                : Optional.of(mounted(mount, args.get(restorePoint + 1))),
            all,
            System.err)
        .orElseThrow(() -> new IllegalStateException("the pod's manifest is invalid"));
  }

  /**
   * The container's {@code -D key=value} arguments; a value under a mounted Secret (the job's API
   * token) names the file here, written from the Secret as it is now, as a Secret volume.
   */
  private Map<String, String> dynamicProperties(
      String podName, PodTemplateSpec template, List<String> args) throws IOException {
    Map<String, String> properties = new HashMap<>();
    for (int i = 0; i + 1 < args.size(); i++) {
      if (!args.get(i).equals("-D")) {
        continue;
      }
      String[] keyValue = args.get(i + 1).split("=", 2);
      properties.put(keyValue[0], secretFile(podName, template, keyValue[1]));
    }
    return properties;
  }

  /** {@code path} itself, or the file written for it when it is in a Secret volume. */
  private String secretFile(String podName, PodTemplateSpec template, String path)
      throws IOException {
    Container container = template.getSpec().getContainers().get(0);
    for (var mount : container.getVolumeMounts()) {
      Optional<Volume> secretVolume =
          template.getSpec().getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()) && v.getSecret() != null)
              .findFirst();
      if (secretVolume.isPresent() && path.startsWith(mount.getMountPath() + "/")) {
        Path directory = Files.createDirectories(root.resolve(podName + "-" + mount.getName()));
        var secret =
            client
                .secrets()
                .inNamespace(namespace)
                .withName(secretVolume.get().getSecret().getSecretName())
                .require();
        for (Map.Entry<String, String> file : secret.getData().entrySet()) {
          Files.write(
              directory.resolve(file.getKey()),
              java.util.Base64.getDecoder().decode(file.getValue()));
        }
        return directory.resolve(path.substring(mount.getMountPath().length() + 1)).toString();
      }
    }
    return path;
  }

  private static Path mounted(Path mount, String path) {
    if (!path.startsWith(CONFIG_MOUNT)) {
      throw new IllegalStateException(path + " is not under the config mount " + CONFIG_MOUNT);
    }
    return mount.resolve(path.substring(CONFIG_MOUNT.length()));
  }

  private static String configMapName(PodTemplateSpec template) {
    return template.getSpec().getVolumes().stream()
        .filter(v -> v.getConfigMap() != null)
        .map(Volume::getConfigMap)
        .findFirst()
        .orElseThrow()
        .getName();
  }

  private void writeConfigMap(String name, Path mount) throws IOException {
    ConfigMap configMap = client.configMaps().inNamespace(namespace).withName(name).require();
    // as a ConfigMap volume: a key that is gone is a file that is gone
    try (var existing = Files.list(mount)) {
      for (Path file : existing.toList()) {
        if (!configMap.getData().containsKey(file.getFileName().toString())) {
          Files.delete(file);
        }
      }
    }
    for (Map.Entry<String, String> file : configMap.getData().entrySet()) {
      Files.writeString(mount.resolve(file.getKey()), file.getValue());
    }
  }

  private static String templateHash(PodTemplateSpec template) {
    return ConfigHash.sha256(CanonicalJson.of(template));
  }

  @Override
  public synchronized void close() throws Exception {
    loop.shutdownNow();
    for (Map<Integer, Pod<WorkerProcess>> pods : workers.values()) {
      closeAll(pods.values());
    }
    workers.clear();
    closeAll(coordinators.values());
    coordinators.clear();
  }

  private static void closeAll(java.util.Collection<? extends Pod<?>> pods) throws Exception {
    for (Pod<?> pod : List.copyOf(pods)) {
      pod.process().close();
    }
  }
}
