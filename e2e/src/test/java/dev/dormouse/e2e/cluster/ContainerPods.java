package dev.dormouse.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pods as containers of the image their spec names ({@link DockerRun}), their ConfigMap and Secret
 * volumes rendered by {@link PodVolumes}. With host networking, two things a kubelet gives every pod
 * are given through the environment: the pod's own address, which the product binds through {@code
 * DORMOUSE_BIND_ADDRESS} (in a pod's network namespace it binds all addresses), and {@code HOSTNAME},
 * the pod's name.
 */
final class ContainerPods implements PodLauncher {

  private final PodVolumes volumes;
  private final String label;
  private final Map<String, DockerContainer> byPod = new ConcurrentHashMap<>();

  /**
   * @param label {@code key=value} put on every container, by which a run's leftovers are removed
   */
  ContainerPods(PodVolumes volumes, String label) {
    this.volumes = volumes;
    this.label = label;
  }

  @Override
  public Workload launch(Pod pod, Container container, String ip, Map<String, String> resolved)
      throws IOException {
    String podName = pod.getMetadata().getName();
    Map<String, String> env = new LinkedHashMap<>(resolved);
    env.put("DORMOUSE_BIND_ADDRESS", ip);
    env.put("HOSTNAME", podName);
    String name = "e2e-" + podName;
    List<String> args =
        DockerRun.args(
            new DockerRun.Naming(name, label), pod.getSpec(), container, env, volumes.render(pod));
    DockerContainer started = DockerContainer.start(name, args);
    byPod.put(podName, started);
    return started.workload();
  }

  /** The container of a pod this launcher started. */
  Optional<DockerContainer> container(String podName) {
    return Optional.ofNullable(byPod.get(podName));
  }

  /** The containers of every pod this launcher started, by pod name (ended ones too). */
  Map<String, DockerContainer> all() {
    return Map.copyOf(byPod);
  }
}
