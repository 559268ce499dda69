package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared secret that keeps pods other than gateways from injecting events into owners. */
class LinkSecretIT {

  @Test
  void oneGeneratedSecretIsWiredIntoGatewayAndOperator() {
    Rendered rendered = Helm.template();

    Secret secret = rendered.named(Secret.class, "link");
    String value =
        new String(
            Base64.getDecoder().decode(secret.getData().get("secret")), StandardCharsets.UTF_8);
    assertThat(value)
        .as("a guessable link secret defeats its purpose")
        .hasSizeGreaterThanOrEqualTo(32)
        .isAlphanumeric();
    assertWired(rendered, secret.getMetadata().getName());
  }

  @Test
  void eachInstallGetsItsOwnSecret() {
    assertThat(Helm.template().named(Secret.class, "link").getData())
        .isNotEqualTo(Helm.template().named(Secret.class, "link").getData());
  }

  @Test
  void ownersInAWatchedNamespaceFindTheSameSecretThere() {
    List<Secret> secrets =
        Helm.template("watchNamespaces={chat-prod}").all(Secret.class).stream()
            .filter(s -> s.getMetadata().getName().equals(Helm.FULLNAME + "-link"))
            .toList();

    assertThat(secrets)
        .extracting(s -> s.getMetadata().getNamespace())
        .containsExactlyInAnyOrder(Helm.NAMESPACE, "chat-prod");
    assertThat(secrets.get(0).getData())
        .as("gateways and owners must agree")
        .isEqualTo(secrets.get(1).getData());
  }

  @Test
  void anExistingSecretReplacesTheGeneratedOne() {
    Rendered rendered = Helm.template("linkSecret.existingSecret=corp-link");

    assertThat(rendered.all(Secret.class))
        .extracting(s -> s.getMetadata().getName())
        .doesNotContain(Helm.FULLNAME + "-link");
    assertWired(rendered, "corp-link");
  }

  private static void assertWired(Rendered rendered, String secretName) {
    EnvVar gateway = Rendered.env(rendered.container("gateway")).get("DORMOUSE_LINK_SECRET");
    assertThat(gateway.getValue()).as("never inline in the pod spec").isNull();
    assertThat(gateway.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secretName);
    assertThat(gateway.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secret");
    assertThat(
            Rendered.env(rendered.container("operator"))
                .get("DORMOUSE_LINK_SECRET_NAME")
                .getValue())
        .isEqualTo(secretName);
  }
}
