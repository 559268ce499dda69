package dev.dormouse.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.util.Map;

/** How the kubelet stand-in runs a pod's container: as a process of the jar, or as a container. */
interface PodLauncher {

  /**
   * Starts {@code container} of {@code pod} on address {@code ip} with its resolved environment.
   *
   * @param env the container's environment as the kubelet resolved it
   */
  Workload launch(Pod pod, Container container, String ip, Map<String, String> env)
      throws IOException;
}
