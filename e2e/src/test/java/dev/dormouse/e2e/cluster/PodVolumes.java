package dev.dormouse.e2e.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The kubelet's part for ConfigMap volumes: a pod's room library folder ({@code /opt/dormouse/lib}
 * in the image) is a folder of the test, and each ConfigMap mounted under it is written there as
 * the kubelet projects it: the keys' bytes in a timestamped folder {@code ..2026_01_01_12_00_00.1},
 * {@code ..data} a symbolic link to that folder, and each key a symbolic link {@code key ->
 * ..data/key} (so that an update can swap them at once). Code that resolves real paths sees what it
 * would see in a pod. Anything else a pod mounts is refused, so a scenario never runs on a volume it
 * only pretends to have.
 */
final class PodVolumes {

  static final String LIB_DIR = "/opt/dormouse/lib";

  /** ConfigMap keys as the API server allows them: never a path of their own. */
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private static final String DATA = "..data";
  private static final DateTimeFormatter VERSION =
      DateTimeFormatter.ofPattern("yyyy_MM_dd_HH_mm_ss.SSSSSSSSS");

  private final KubernetesClient client;
  private final String namespace;
  private final Path root;

  PodVolumes(KubernetesClient client, String namespace, Path root) {
    this.client = client;
    this.namespace = namespace;
    this.root = root;
  }

  /** The folder that stands for the pod's {@code /opt/dormouse/lib}, its ConfigMaps written in. */
  Path libDir(Pod pod, Container container) throws IOException {
    Path lib = Files.createDirectories(root.resolve(pod.getMetadata().getName()).resolve("lib"));
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume = volume(pod, mount.getName());
      if (volume.getConfigMap() == null) {
        throw new IllegalStateException(
            "volume " + volume.getName() + " is not a ConfigMap: the pod runner has no other");
      }
      if (volume.getConfigMap().getItems() != null && !volume.getConfigMap().getItems().isEmpty()) {
        throw new IllegalStateException("ConfigMap volume items are not supported");
      }
      String path = mount.getMountPath();
      if (!path.startsWith(LIB_DIR + "/")
          || !KEY.matcher(path.substring(LIB_DIR.length() + 1)).matches()) {
        throw new IllegalStateException(
            "mount path " + path + " is not a folder of " + LIB_DIR + ": not supported");
      }
      project(
          configMap(volume.getConfigMap().getName()),
          lib.resolve(path.substring(LIB_DIR.length() + 1)));
    }
    return lib;
  }

  private static Volume volume(Pod pod, String name) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("mount of an undeclared volume " + name));
  }

  /** As the kubelet waits for a missing ConfigMap, the pod does not start without it. */
  private ConfigMap configMap(String name) {
    ConfigMap map = client.configMaps().inNamespace(namespace).withName(name).get();
    if (map == null) {
      throw new IllegalStateException("ConfigMap " + name + " not found");
    }
    return map;
  }

  private static void project(ConfigMap map, Path folder) throws IOException {
    String version = ".." + VERSION.format(LocalDateTime.now(ZoneOffset.UTC));
    Path files = Files.createDirectories(folder.resolve(version));
    write(files, map.getData(), value -> value.getBytes(StandardCharsets.UTF_8));
    write(files, map.getBinaryData(), value -> Base64.getDecoder().decode(value));
    Files.createSymbolicLink(folder.resolve(DATA), Path.of(version));
    try (Stream<Path> keys = Files.list(files)) {
      for (Path key : keys.toList()) {
        Files.createSymbolicLink(
            folder.resolve(key.getFileName()), Path.of(DATA).resolve(key.getFileName()));
      }
    }
  }

  private static void write(
      Path folder, Map<String, String> entries, Function<String, byte[]> bytes) throws IOException {
    if (entries == null) {
      return;
    }
    for (Map.Entry<String, String> entry : entries.entrySet()) {
      if (!KEY.matcher(entry.getKey()).matches() || entry.getKey().startsWith("..")) {
        throw new IllegalStateException("ConfigMap key " + entry.getKey() + " is not a file name");
      }
      Files.write(folder.resolve(entry.getKey()), bytes.apply(entry.getValue()));
    }
  }
}
