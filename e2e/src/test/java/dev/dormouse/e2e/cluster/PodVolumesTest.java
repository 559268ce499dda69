package dev.dormouse.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pod runner's ConfigMap volumes, as the kubelet would project them. */
@EnableKubernetesMockClient(crud = true)
class PodVolumesTest {

  static KubernetesClient client;

  @TempDir Path root;

  @Test
  void eachKeyOfAMountedConfigMapIsAFileOfTheLibraryFolderByteForByte() throws Exception {
    String module = "export class Room {}\n// é, ☃ and a line without an end";
    byte[] binary = {0, (byte) 0xff, 10, 13};
    client
        .configMaps()
        .inNamespace("default")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("seed-code")
                .endMetadata()
                .addToData("worker.js", module)
                .addToBinaryData("blob.bin", Base64.getEncoder().encodeToString(binary))
                .build())
        .create();
    Pod pod = pod("/opt/dormouse/lib/seed-code", "seed-code");

    Path lib = new PodVolumes(client, "default", root).libDir(pod, container(pod));

    assertThat(lib).isEqualTo(root.resolve("owner-1").resolve("lib"));
    assertThat(Files.readString(lib.resolve("seed-code/worker.js"), StandardCharsets.UTF_8))
        .isEqualTo(module);
    assertThat(Files.readAllBytes(lib.resolve("seed-code/blob.bin"))).isEqualTo(binary);
    // As the kubelet lays it out: key -> ..data/key, ..data -> the timestamped folder of the files.
    assertThat(Files.readSymbolicLink(lib.resolve("seed-code/worker.js")))
        .isEqualTo(Path.of("..data/worker.js"));
    assertThat(Files.readSymbolicLink(lib.resolve("seed-code/..data")).toString())
        .matches("\\.\\.\\d{4}_\\d{2}_\\d{2}_\\d{2}_\\d{2}_\\d{2}\\.\\d{9}");
  }

  @Test
  void aMissingConfigMapKeepsThePodFromStarting() {
    Pod pod = pod("/opt/dormouse/lib/nowhere", "nowhere");

    assertThatThrownBy(() -> new PodVolumes(client, "default", root).libDir(pod, container(pod)))
        .hasMessage("ConfigMap nowhere not found");
  }

  @Test
  void aMountOutsideTheRoomLibraryFolderIsRefused() {
    Pod pod = pod("/etc/dormouse", "seed-code");

    assertThatThrownBy(() -> new PodVolumes(client, "default", root).libDir(pod, container(pod)))
        .hasMessageContaining("is not a folder of /opt/dormouse/lib");
  }

  @Test
  void forAContainerEachSecretVolumeIsRenderedAsTheKubeletProjectsItItemsRenamed()
      throws Exception {
    client
        .secrets()
        .inNamespace("default")
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("publish")
                .endMetadata()
                .addToData("token", Base64.getEncoder().encodeToString("t0k3n".getBytes()))
                .addToStringData("other", "not selected")
                .build())
        .create();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("gateway-1")
            .endMetadata()
            .withNewSpec()
            .addNewVolume()
            .withName("tmp")
            .withNewEmptyDir()
            .endEmptyDir()
            .endVolume()
            .addNewVolume()
            .withName("publish-token")
            .withNewSecret()
            .withSecretName("publish")
            .addNewItem()
            .withKey("token")
            .withPath("api-token")
            .endItem()
            .endSecret()
            .endVolume()
            .endSpec()
            .build();

    Map<String, Path> rendered = new PodVolumes(client, "default", root).render(pod);

    assertThat(rendered).containsOnlyKeys("publish-token");
    Path folder = rendered.get("publish-token");
    assertThat(Files.readString(folder.resolve("api-token"))).isEqualTo("t0k3n");
    assertThat(Files.readSymbolicLink(folder.resolve("api-token")))
        .isEqualTo(Path.of("..data/api-token"));
    assertThat(folder.resolve("other")).doesNotExist();
    assertThat(folder.resolve("token")).doesNotExist();
  }

  @Test
  void aSecretVolumeWithoutItsSecretKeepsThePodFromStarting() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("gateway-2")
            .endMetadata()
            .withNewSpec()
            .addNewVolume()
            .withName("room-secret")
            .withNewSecret()
            .withSecretName("missing")
            .endSecret()
            .endVolume()
            .endSpec()
            .build();

    assertThatThrownBy(() -> new PodVolumes(client, "default", root).render(pod))
        .hasMessage("Secret missing not found");
  }

  private static Pod pod(String mountPath, String configMap) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("owner-1")
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("owner")
        .addNewVolumeMount()
        .withName("room-code")
        .withMountPath(mountPath)
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("room-code")
        .withNewConfigMap()
        .withName(configMap)
        .endConfigMap()
        .endVolume()
        .endSpec()
        .build();
  }

  private static Container container(Pod pod) {
    return pod.getSpec().getContainers().get(0);
  }
}
