package dev.dormouse.e2e.cluster;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The one translation of a pod's container into the arguments of {@code docker run}, as a kubelet
 * would run it: the container's image, command, args and (already resolved) environment; its memory
 * and CPU limits; its security context over the pod's (user and group, read-only root, dropped
 * capabilities, no privilege escalation); its ConfigMap and Secret volumes bind-mounted read-only
 * from folders where they were rendered, its emptyDirs as tmpfs. Host networking always (the pod's
 * own address is given to it through its environment). Anything else a pod asks for is refused, so
 * that no scenario runs on a setting this translation silently dropped.
 */
final class DockerRun {

  /** What the container is called, and the label by which a run's containers are found and removed. */
  record Naming(String name, String label) {}

  private DockerRun() {}

  /**
   * The arguments after {@code docker run}: options, image, then the command's rest and the args.
   *
   * @param rendered host folder of each ConfigMap or Secret volume, by volume name
   */
  static List<String> args(
      Naming naming,
      PodSpec pod,
      Container container,
      Map<String, String> env,
      Map<String, Path> rendered) {
    List<String> args =
        new ArrayList<>(List.of("--name", naming.name(), "--label", naming.label()));
    args.addAll(List.of("--network", "host", "--rm"));
    if (pod.getTerminationGracePeriodSeconds() != null) {
      args.addAll(List.of("--stop-timeout", pod.getTerminationGracePeriodSeconds().toString()));
    }
    limits(container, args);
    security(pod.getSecurityContext(), container.getSecurityContext(), args);
    for (VolumeMount mount : container.getVolumeMounts()) {
      mount(pod, mount, rendered, args);
    }
    env.forEach((key, value) -> args.addAll(List.of("-e", key + "=" + value)));
    List<String> command = Optional.ofNullable(container.getCommand()).orElse(List.of());
    if (!command.isEmpty()) {
      args.addAll(List.of("--entrypoint", command.get(0)));
    }
    if (container.getImage() == null || container.getImage().isBlank()) {
      throw new IllegalStateException("container " + container.getName() + " names no image");
    }
    args.add(container.getImage());
    args.addAll(command.subList(Math.min(1, command.size()), command.size()));
    args.addAll(Optional.ofNullable(container.getArgs()).orElse(List.of()));
    return args;
  }

  private static void limits(Container container, List<String> args) {
    Map<String, Quantity> limits =
        container.getResources() == null || container.getResources().getLimits() == null
            ? Map.of()
            : container.getResources().getLimits();
    for (Map.Entry<String, Quantity> limit : limits.entrySet()) {
      BigDecimal amount = limit.getValue().getNumericalAmount();
      switch (limit.getKey()) {
        case "memory" -> args.addAll(List.of("--memory", amount.toBigInteger().toString()));
        case "cpu" -> args.addAll(List.of("--cpus", amount.stripTrailingZeros().toPlainString()));
        default ->
            throw new IllegalStateException("resource limit " + limit.getKey() + " not supported");
      }
    }
  }

  /** The container's setting where it has one, else the pod's, as the kubelet merges them. */
  private static void security(
      PodSecurityContext pod, SecurityContext container, List<String> args) {
    Long user =
        pick(container, SecurityContext::getRunAsUser, pod, PodSecurityContext::getRunAsUser);
    Long group =
        pick(container, SecurityContext::getRunAsGroup, pod, PodSecurityContext::getRunAsGroup);
    if (user != null) {
      args.addAll(List.of("--user", group == null ? user.toString() : user + ":" + group));
    }
    if (pod != null && pod.getFsGroup() != null) {
      args.addAll(List.of("--group-add", pod.getFsGroup().toString()));
    }
    if (container == null) {
      return;
    }
    if (Boolean.TRUE.equals(container.getReadOnlyRootFilesystem())) {
      args.add("--read-only");
    }
    if (Boolean.FALSE.equals(container.getAllowPrivilegeEscalation())) {
      args.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    if (Boolean.TRUE.equals(container.getPrivileged())) {
      throw new IllegalStateException("privileged containers are not supported");
    }
    Capabilities capabilities = container.getCapabilities();
    if (capabilities != null) {
      Optional.ofNullable(capabilities.getDrop())
          .orElse(List.of())
          .forEach(c -> args.addAll(List.of("--cap-drop", c)));
      Optional.ofNullable(capabilities.getAdd())
          .orElse(List.of())
          .forEach(c -> args.addAll(List.of("--cap-add", c)));
    }
  }

  private static <T> T pick(
      SecurityContext container,
      Function<SecurityContext, T> ofContainer,
      PodSecurityContext pod,
      Function<PodSecurityContext, T> ofPod) {
    T value = container == null ? null : ofContainer.apply(container);
    return value != null || pod == null ? value : ofPod.apply(pod);
  }

  private static void mount(
      PodSpec pod, VolumeMount mount, Map<String, Path> rendered, List<String> args) {
    if (mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
      throw new IllegalStateException("subPath mounts are not supported: " + mount.getName());
    }
    Volume volume =
        pod.getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException("mount of an undeclared volume " + mount.getName()));
    if (volume.getEmptyDir() != null) {
      // World-writable with the sticky bit as an emptyDir is to the pod's user; exec because the
      // JVM and GraalJS load native code they unpack there.
      args.addAll(List.of("--tmpfs", mount.getMountPath() + ":rw,exec,mode=1777"));
    } else if (volume.getConfigMap() != null || volume.getSecret() != null) {
      Path folder = rendered.get(volume.getName());
      if (folder == null) {
        throw new IllegalStateException("volume " + volume.getName() + " was not rendered");
      }
      // ConfigMap and Secret volumes are read-only whatever the mount says.
      args.addAll(List.of("-v", folder.toAbsolutePath() + ":" + mount.getMountPath() + ":ro"));
    } else {
      throw new IllegalStateException(
          "volume " + volume.getName() + " is neither a ConfigMap, a Secret nor an emptyDir");
    }
  }
}
