package dev.dormouse.e2e.cluster;

import dev.dormouse.testing.DaemonThreads;
import dev.dormouse.testing.PrometheusText;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The only stand-in of the harness: it plays the kubelet for owner pods. For each pod labelled
 * {@code dormouse.dev/role=owner} it gives the pod an IP on loopback ({@link LoopbackAddresses}),
 * resolves the container's environment as the kubelet would ({@link PodEnv}), starts it through its
 * {@link PodLauncher} (a process of dormouse.jar, {@link JarPods}, or a container of the pod's image,
 * {@link ContainerPods}) and writes the pod Running with its podIP and Ready=False, as a kubelet does
 * once the container started; it then runs the pod's readiness probe ({@link Readiness}) and writes
 * Ready=True, all through the status subresource. A deleted pod's process gets SIGTERM, then SIGKILL
 * after the grace period.
 */
public final class PodRunner implements AutoCloseable {

  /** One owner pod that this runner started. */
  public record RunningPod(String name, String uid, String room, String ip, Workload process) {
    public URI admin(String path) {
      return URI.create("http://" + ip + ":9090" + path);
    }

    /** A counter from the pod's Prometheus page, summed over its labels (0 while it is not there yet). */
    public double metric(String name) throws IOException, InterruptedException {
      String page =
          HTTP.send(
                  HttpRequest.newBuilder(admin("/metrics")).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return PrometheusText.sum(page, name);
    }
  }

  /**
   * When this runner saw a pod, exec'd its process and wrote it Ready (the wake split of {@code
   * WakeFromZeroIT}, on this machine's clock like the processes' logs).
   */
  public record Timeline(Instant seen, Instant started, Instant ready) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final KubernetesClient client;
  private final String namespace;
  private final PodLauncher launcher;
  private final PodEnv env;
  private final LoopbackAddresses addresses;
  private final Map<String, RunningPod> byUid = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
  private final Map<String, Timeline> timelines = new ConcurrentHashMap<>();
  private final ExecutorService work =
      Executors.newCachedThreadPool(DaemonThreads.named("pod-runner"));
  private SharedIndexInformer<Pod> informer;
  private volatile boolean closed;

  PodRunner(
      KubernetesClient client,
      String namespace,
      PodLauncher launcher,
      LoopbackAddresses addresses) {
    this.client = client;
    this.namespace = namespace;
    this.launcher = launcher;
    this.env = new PodEnv(client, namespace);
    this.addresses = addresses;
  }

  public PodRunner start() {
    informer =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel("dormouse.dev/role", "owner")
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    schedule(pod);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    schedule(pod);
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {
                    stop(pod);
                  }
                });
    return this;
  }

  /** Owner pods of {@code room} whose process this runner started and that still run. */
  public List<RunningPod> running(String room) {
    return byUid.values().stream()
        .filter(p -> p.room().equals(room) && p.process().isAlive())
        .toList();
  }

  /** The pod's timeline once this runner wrote it Ready. */
  public Optional<Timeline> timeline(String podName) {
    return Optional.ofNullable(timelines.get(podName));
  }

  public Optional<RunningPod> pod(String name) {
    return byUid.values().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  private void schedule(Pod pod) {
    String uid = pod.getMetadata().getUid();
    if (closed
        || pod.getMetadata().getDeletionTimestamp() != null
        || seen.putIfAbsent(uid, true) != null) {
      return; // the mock's watch replays ADDED for every object: start each pod once
    }
    Instant at = Instant.now();
    work.execute(() -> run(pod, at));
  }

  private void run(Pod pod, Instant seenAt) {
    String name = pod.getMetadata().getName();
    String room = pod.getMetadata().getLabels().getOrDefault("dormouse.dev/room", "?");
    try {
      String ip = addresses.next(7070, 9090);
      Container container = pod.getSpec().getContainers().get(0);
      Instant startedAt = Instant.now();
      Workload process = launcher.launch(pod, container, ip, env.resolve(pod, container));
      RunningPod running = new RunningPod(name, pod.getMetadata().getUid(), room, ip, process);
      byUid.put(running.uid(), running);
      process.onExit().thenRun(() -> exited(running));
      String podStart = startedAt.toString();
      writeStatus(running, running(ip, podStart, false));
      Readiness.of(container, ip).await(process, Duration.ofSeconds(60));
      if (client.pods().inNamespace(namespace).withName(name).get() == null || !process.isAlive()) {
        return;
      }
      writeStatus(running, running(ip, podStart, true));
      timelines.put(name, new Timeline(seenAt, startedAt, Instant.now()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      // Shown in the test's output; the pod then never turns Ready and the scenario says what it
      // waited for.
      System.err.println("pod runner: could not run pod " + name + ": " + e);
    }
  }

  /** A running pod's status, Ready or not yet (its container has not passed the probe). */
  private static io.fabric8.kubernetes.api.model.PodStatus running(
      String ip, String startTime, boolean ready) {
    return new PodStatusBuilder()
        .withPhase("Running")
        .withPodIP(ip)
        .withPodIPs(new PodIPBuilder().withIp(ip).build())
        .withStartTime(startTime)
        .withConditions(
            new PodConditionBuilder()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .withReason(ready ? null : "ContainersNotReady")
                .withLastTransitionTime(Instant.now().toString())
                .build())
        .build();
  }

  /** A process that ended by itself while its pod still exists: the pod is Failed and not Ready. */
  private void exited(RunningPod pod) {
    if (closed) {
      return;
    }
    writeStatus(
        pod,
        new PodStatusBuilder()
            .withPhase("Failed")
            .withPodIP(pod.ip())
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus("False")
                    .withReason("ContainerExited")
                    .withLastTransitionTime(Instant.now().toString())
                    .build())
            .build());
  }

  /** PUT on the status subresource with the pod's resourceVersion (the mock's merge patch is unreliable). */
  private void writeStatus(RunningPod pod, io.fabric8.kubernetes.api.model.PodStatus status) {
    for (int attempt = 0; attempt < 10; attempt++) {
      Pod current = client.pods().inNamespace(namespace).withName(pod.name()).get();
      if (current == null || !pod.uid().equals(current.getMetadata().getUid())) {
        return;
      }
      current.setStatus(status);
      try {
        client.resource(current).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 && e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  private void stop(Pod pod) {
    RunningPod running = byUid.get(pod.getMetadata().getUid());
    if (running == null) {
      return;
    }
    long grace = Optional.ofNullable(pod.getSpec().getTerminationGracePeriodSeconds()).orElse(30L);
    work.execute(() -> running.process().terminate(Duration.ofSeconds(grace)));
  }

  /** SIGKILL of a pod's process (the pod object stays; the runner then marks it Failed). */
  public void killProcess(String podName) {
    pod(podName)
        .orElseThrow(() -> new IllegalArgumentException("no pod " + podName))
        .process()
        .kill();
  }

  @Override
  public void close() {
    closed = true;
    if (informer != null) {
      informer.close();
    }
    byUid.values().parallelStream().forEach(p -> p.process().terminate(Duration.ofSeconds(5)));
    work.shutdownNow();
  }
}
