package dev.dormouse.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owner pods as {@code java -jar dormouse.jar <args>}: bound to the pod's address, its ConfigMaps in a
 * folder that stands for the image's room library folder ({@link PodVolumes}, {@code
 * DORMOUSE_LIB_DIR}).
 */
final class JarPods implements PodLauncher {

  /**
   * More JVM options for owner processes, as an image's entrypoint adds them ({@code
   * -Ddormouse.ownerJvmOptions="-XX:SharedArchiveFile=…"}; WakeFromZeroIT); none by default.
   */
  private static final List<String> OWNER_JVM =
      List.of(System.getProperty("dormouse.ownerJvmOptions", "").trim().split("\\s+")).stream()
          .filter(option -> !option.isEmpty())
          .toList();

  private final Path jar;
  private final PodVolumes volumes;

  JarPods(Path jar, PodVolumes volumes) {
    this.jar = jar;
    this.volumes = volumes;
  }

  @Override
  public Workload launch(Pod pod, Container container, String ip, Map<String, String> resolved)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>(resolved);
    env.put("DORMOUSE_LIB_DIR", volumes.libDir(pod, container).toAbsolutePath().toString());
    env.put("DORMOUSE_BIND_ADDRESS", ip);
    env.put("DORMOUSE_LINK_PORT", "7070");
    env.put("DORMOUSE_ADMIN_PORT", "9090");
    List<String> args = container.getArgs() == null ? List.of() : container.getArgs();
    return JarProcess.start(
        "owner-" + pod.getMetadata().getName(), jar, OWNER_JVM, env, args.toArray(String[]::new));
  }
}
