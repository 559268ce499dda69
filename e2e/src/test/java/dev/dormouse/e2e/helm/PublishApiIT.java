package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The publish API in the chart: a port of its own behind a ClusterIP Service of its own, never the
 * client-facing one, and a bearer token from a Secret mounted as a file.
 */
class PublishApiIT {

  static final String TOKEN_FILE = "/etc/dormouse/publish/token";

  @Test
  void theApiHasAClusterIpServiceOfItsOwnEvenWhenTheClientsServiceIsPublic() {
    Rendered rendered = Helm.template("gateway.service.type=LoadBalancer");

    Service publish = rendered.named(Service.class, "gateway-publish");
    assertThat(publish.getSpec().getType()).isEqualTo("ClusterIP");
    assertThat(publish.getSpec().getSelector())
        .isEqualTo(
            Map.copyOf(rendered.deployment("gateway").getSpec().getSelector().getMatchLabels()));
    assertThat(publish.getSpec().getPorts())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.getTargetPort().getStrVal()).isEqualTo("publish");
              assertThat(port.getPort()).isEqualTo(8081);
            });
    Service clients = rendered.named(Service.class, "gateway");
    assertThat(clients.getSpec().getType()).isEqualTo("LoadBalancer");
    assertThat(clients.getSpec().getPorts())
        .as("the public Service never carries the publish port")
        .noneMatch(port -> port.getTargetPort().getStrVal().equals("publish"));
    assertThat(rendered.container("gateway").getPorts())
        .filteredOn(port -> port.getName().equals("publish"))
        .extracting(ContainerPort::getContainerPort)
        .containsExactly(8081);
  }

  @Test
  void aGeneratedTokenIsMountedAsAFileNeverInline() {
    Rendered rendered = Helm.template();

    Secret secret = rendered.named(Secret.class, "publish");
    String token =
        new String(
            Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
    assertThat(token)
        .as("the gateway refuses tokens under 16 bytes; a guessable one defeats its purpose")
        .hasSizeGreaterThanOrEqualTo(32)
        .isAlphanumeric();
    assertMounted(rendered, secret.getMetadata().getName());
    assertThat(Helm.template().named(Secret.class, "publish").getData().get("token"))
        .as("each install gets its own")
        .isNotEqualTo(secret.getData().get("token"));
  }

  @Test
  void anExistingSecretReplacesTheGeneratedToken() {
    Rendered rendered = Helm.template("gateway.publish.existingSecret=corp-publish");

    assertThat(rendered.all(Secret.class))
        .extracting(s -> s.getMetadata().getName())
        .doesNotContain(Helm.FULLNAME + "-publish");
    assertMounted(rendered, "corp-publish");
  }

  @Test
  void turnedOffThereIsNoPortServiceOrToken() {
    Rendered rendered = Helm.template("gateway.publish.enabled=false");

    assertThat(rendered.all(Service.class))
        .extracting(s -> s.getMetadata().getName())
        .doesNotContain(Helm.FULLNAME + "-gateway-publish");
    assertThat(rendered.all(Secret.class))
        .extracting(s -> s.getMetadata().getName())
        .doesNotContain(Helm.FULLNAME + "-publish");
    Container gateway = rendered.container("gateway");
    assertThat(gateway.getPorts()).noneMatch(port -> port.getName().equals("publish"));
    assertThat(Rendered.env(gateway))
        .doesNotContainKeys(
            "DORMOUSE_PUBLISH_PORT", "DORMOUSE_PUBLISH_TOKEN", "DORMOUSE_PUBLISH_TOKEN_FILE");
  }

  private static void assertMounted(Rendered rendered, String secretName) {
    Container gateway = rendered.container("gateway");
    Map<String, io.fabric8.kubernetes.api.model.EnvVar> env = Rendered.env(gateway);
    assertThat(env).doesNotContainKey("DORMOUSE_PUBLISH_TOKEN");
    assertThat(env.get("DORMOUSE_PUBLISH_TOKEN_FILE").getValue()).isEqualTo(TOKEN_FILE);
    assertThat(env.get("DORMOUSE_PUBLISH_PORT").getValue()).isEqualTo("8081");
    VolumeMount mount =
        gateway.getVolumeMounts().stream()
            .filter(m -> TOKEN_FILE.startsWith(m.getMountPath() + "/"))
            .findFirst()
            .orElseThrow();
    assertThat(mount.getReadOnly()).isTrue();
    Volume volume =
        rendered.podTemplate("gateway").getSpec().getVolumes().stream()
            .filter(v -> v.getName().equals(mount.getName()))
            .findFirst()
            .orElseThrow();
    assertThat(volume.getSecret().getSecretName()).isEqualTo(secretName);
    assertThat(volume.getSecret().getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getKey()).isEqualTo("token");
              assertThat(mount.getMountPath() + "/" + item.getPath()).isEqualTo(TOKEN_FILE);
            });
  }
}
