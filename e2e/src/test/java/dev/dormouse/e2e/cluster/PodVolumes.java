package dev.dormouse.e2e.cluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
 *
 * <p>For containers ({@link #render}) every ConfigMap and Secret volume of a pod is projected the same
 * way into a folder of its own, which {@link DockerRun} bind-mounts where the pod mounts the volume.
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

  /**
   * Each ConfigMap and Secret volume of the pod projected into {@code root/POD/volumes/NAME}, by
   * volume name (a Secret's {@code items} select and rename keys, as the kubelet does).
   */
  Map<String, Path> render(Pod pod) throws IOException {
    Map<String, Path> folders = new LinkedHashMap<>();
    Path root = this.root.resolve(pod.getMetadata().getName()).resolve("volumes");
    deleteTree(root); // the chart's pods have the same names in every run
    for (Volume volume : pod.getSpec().getVolumes()) {
      Path folder = root.resolve(volume.getName());
      if (volume.getConfigMap() != null) {
        if (volume.getConfigMap().getItems() != null
            && !volume.getConfigMap().getItems().isEmpty()) {
          throw new IllegalStateException("ConfigMap volume items are not supported");
        }
        project(configMap(volume.getConfigMap().getName()), folder);
        folders.put(volume.getName(), folder);
      } else if (volume.getSecret() != null) {
        project(files(volume.getSecret()), folder);
        folders.put(volume.getName(), folder);
      }
    }
    return folders;
  }

  /** The Secret's keys as files, or only its {@code items}, each under its own path. */
  private Map<String, byte[]> files(SecretVolumeSource source) {
    Secret secret = client.secrets().inNamespace(namespace).withName(source.getSecretName()).get();
    if (secret == null) {
      throw new IllegalStateException("Secret " + source.getSecretName() + " not found");
    }
    Map<String, byte[]> keys = keys(secret);
    if (source.getItems() == null || source.getItems().isEmpty()) {
      return keys;
    }
    Map<String, byte[]> items = new TreeMap<>();
    for (KeyToPath item : source.getItems()) {
      byte[] value = keys.get(item.getKey());
      if (value == null) {
        throw new IllegalStateException(
            "Secret " + source.getSecretName() + " has no key " + item.getKey());
      }
      items.put(item.getPath(), value);
    }
    return items;
  }

  private static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(folder)) {
      for (Path path : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** A Secret's keys and their bytes, from its data (base64) and its stringData. */
  static Map<String, byte[]> keys(Secret secret) {
    Map<String, byte[]> keys = new TreeMap<>();
    Optional.ofNullable(secret.getData())
        .orElse(Map.of())
        .forEach((k, v) -> keys.put(k, Base64.getDecoder().decode(v)));
    Optional.ofNullable(secret.getStringData())
        .orElse(Map.of())
        .forEach((k, v) -> keys.put(k, v.getBytes(StandardCharsets.UTF_8)));
    return keys;
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
    Map<String, byte[]> files = new TreeMap<>();
    Optional.ofNullable(map.getData())
        .orElse(Map.of())
        .forEach((k, v) -> files.put(k, v.getBytes(StandardCharsets.UTF_8)));
    Optional.ofNullable(map.getBinaryData())
        .orElse(Map.of())
        .forEach((k, v) -> files.put(k, Base64.getDecoder().decode(v)));
    project(files, folder);
  }

  private static void project(Map<String, byte[]> entries, Path folder) throws IOException {
    String version = ".." + VERSION.format(LocalDateTime.now(ZoneOffset.UTC));
    Path files = Files.createDirectories(folder.resolve(version));
    write(files, entries);
    Files.createSymbolicLink(folder.resolve(DATA), Path.of(version));
    try (Stream<Path> keys = Files.list(files)) {
      for (Path key : keys.toList()) {
        Files.createSymbolicLink(
            folder.resolve(key.getFileName()), Path.of(DATA).resolve(key.getFileName()));
      }
    }
  }

  private static void write(Path folder, Map<String, byte[]> entries) throws IOException {
    for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
      if (!KEY.matcher(entry.getKey()).matches() || entry.getKey().startsWith("..")) {
        throw new IllegalStateException("key " + entry.getKey() + " is not a file name");
      }
      Files.write(folder.resolve(entry.getKey()), entry.getValue());
    }
  }
}
