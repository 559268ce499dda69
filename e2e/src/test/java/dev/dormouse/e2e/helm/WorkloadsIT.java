package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Gateway and operator Deployments: images, ports, probes, env, security. */
class WorkloadsIT {

  @ParameterizedTest
  @ValueSource(strings = {"gateway", "operator"})
  void probesHitTheAdminEndpointsOnADeclaredPort(String component) {
    Container container = Helm.template().container(component);

    assertHttpProbe(container, container.getReadinessProbe(), "/readyz");
    assertHttpProbe(container, container.getLivenessProbe(), "/healthz");
  }

  @Test
  void gatewayAndOperatorListenWhereTheProcessesDo() {
    Rendered rendered = Helm.template();

    assertThat(ports(rendered.container("gateway")))
        .isEqualTo(Map.of("http", 8080, "admin", 9090, "publish", 8081));
    assertThat(ports(rendered.container("operator"))).isEqualTo(Map.of("health", 8081));
    assertThat(Rendered.env(rendered.container("operator")).get("DORMOUSE_HEALTH_PORT").getValue())
        .isEqualTo("8081");
    Service service = rendered.named(Service.class, "gateway");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(
            Map.copyOf(rendered.deployment("gateway").getSpec().getSelector().getMatchLabels()));
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
  }

  @Test
  void imagesAndRoles() {
    Rendered rendered =
        Helm.template(
            "image.repository=registry.example.com/dormouse",
            "image.tag=1.2.3",
            "operator.image.repository=registry.example.com/dormouse-operator");

    Container gateway = rendered.container("gateway");
    assertThat(gateway.getImage()).isEqualTo("registry.example.com/dormouse:1.2.3");
    assertThat(gateway.getArgs()).containsExactly("gateway");
    Container operator = rendered.container("operator");
    assertThat(operator.getImage())
        .as("tag defaults to the chart's appVersion")
        .isEqualTo("registry.example.com/dormouse-operator:0.1.0");
    assertThat(Rendered.env(operator).get("DORMOUSE_OWNER_IMAGE").getValue())
        .as("owners run dormouse.jar, the gateway's image")
        .isEqualTo("registry.example.com/dormouse:1.2.3");

    assertThat(
            Rendered.env(Helm.template("owner.image=my/rooms:7").container("operator"))
                .get("DORMOUSE_OWNER_IMAGE")
                .getValue())
        .isEqualTo("my/rooms:7");
  }

  @Test
  void gatewayEnvironment() {
    Map<String, EnvVar> env =
        Rendered.env(
            Helm.template("gateway.defaultRoom=lobby", "gateway.roomSecrets={jwt-keys}")
                .container("gateway"));

    assertThat(env.get("DORMOUSE_SECRETS_DIR").getValue()).isEqualTo("/etc/dormouse/secrets");
    assertThat(env.get("DORMOUSE_DEFAULT_ROOM").getValue()).isEqualTo("lobby");
    assertThat(env)
        .as("all namespaces unless one is watched")
        .doesNotContainKey("DORMOUSE_NAMESPACE");
    assertThat(
            Rendered.env(Helm.template("watchNamespaces={chat-prod}").container("gateway"))
                .get("DORMOUSE_NAMESPACE")
                .getValue())
        .isEqualTo("chat-prod");
  }

  @Test
  void roomSecretsAreMountedWhereGatewaysLookForThem() {
    Rendered rendered = Helm.template("gateway.roomSecrets={jwt-keys,rsa-pub}");
    PodSpec pod = rendered.podTemplate("gateway").getSpec();

    for (String secret : List.of("jwt-keys", "rsa-pub")) {
      String volume =
          pod.getVolumes().stream()
              .filter(v -> v.getSecret() != null && secret.equals(v.getSecret().getSecretName()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no volume for Secret " + secret))
              .getName();
      assertThat(pod.getContainers().get(0).getVolumeMounts())
          .anySatisfy(
              m -> {
                assertThat(m.getName()).isEqualTo(volume);
                assertThat(m.getMountPath()).isEqualTo("/etc/dormouse/secrets/" + secret);
                assertThat(m.getReadOnly()).isTrue();
              });
    }
  }

  @Test
  void operatorConfiguration() {
    Map<String, EnvVar> all = Rendered.env(Helm.template().container("operator"));
    assertThat(all.get("DORMOUSE_WATCH_NAMESPACES").getValue()).isEmpty();
    assertThat(all.get("DORMOUSE_LEADER_ELECTION").getValue()).isEqualTo("true");

    Map<String, EnvVar> one =
        Rendered.env(
            Helm.template("watchNamespaces={chat-prod}", "operator.replicas=2")
                .container("operator"));
    assertThat(one.get("DORMOUSE_WATCH_NAMESPACES").getValue()).isEqualTo("chat-prod");
    assertThat(one.get("DORMOUSE_LEADER_ELECTION").getValue()).isEqualTo("true");
  }

  @Test
  void theOperatorsSummaryOfAllRoomsTakesItsTokenFromAnOptionalSecretAndIsOffWithout() {
    assertThat(Rendered.env(Helm.template().container("operator")))
        .doesNotContainKey("DORMOUSE_ADMIN_TOKEN");

    EnvVar token =
        Rendered.env(Helm.template("operator.admin.existingSecret=ops-admin").container("operator"))
            .get("DORMOUSE_ADMIN_TOKEN");
    assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("ops-admin");
    assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
    assertThat(token.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
  }

  @Test
  void severalWatchedNamespacesAreRefusedBecauseAGatewayServesOneOrAll() {
    assertThat(Helm.templateError("watchNamespaces={a,b}"))
        .contains("a gateway serves one namespace or all of them");
  }

  @Test
  void everyContainerRunsAsNonRootOnAReadOnlyRootFilesystem() {
    Rendered rendered = Helm.template();
    List<PodSpec> pods =
        new ArrayList<>(
            List.of(
                rendered.podTemplate("gateway").getSpec(),
                rendered.podTemplate("operator").getSpec()));
    rendered.all(StatefulSet.class).forEach(s -> pods.add(s.getSpec().getTemplate().getSpec()));

    assertThat(pods)
        .hasSize(3)
        .allSatisfy(
            pod -> {
              assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
              assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
              assertThat(pod.getContainers())
                  .allSatisfy(
                      c -> {
                        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem())
                            .as(c.getName())
                            .isTrue();
                        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation())
                            .as(c.getName())
                            .isFalse();
                        assertThat(c.getSecurityContext().getCapabilities().getDrop())
                            .as(c.getName())
                            .containsExactly("ALL");
                        assertThat(c.getResources().getRequests())
                            .as("requests of %s", c.getName())
                            .containsKeys("cpu", "memory");
                        assertThat(c.getResources().getLimits())
                            .as("limits of %s", c.getName())
                            .containsKey("memory");
                      });
            });
    for (String component : List.of("gateway", "operator")) {
      PodSpec pod = rendered.podTemplate(component).getSpec();
      assertThat(pod.getSecurityContext().getRunAsUser())
          .as("the UID of the image's user")
          .isEqualTo(10001L);
      assertThat(pod.getContainers().get(0).getVolumeMounts())
          .as("the JVM needs a writable /tmp")
          .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    }
  }

  @Test
  void podsCarryTheRoleLabelTheOperatorAndPoliciesSelectBy() {
    Rendered rendered = Helm.template();

    assertThat(rendered.podTemplate("gateway").getMetadata().getLabels())
        .containsEntry("dormouse.dev/role", "gateway");
    assertThat(rendered.podTemplate("operator").getMetadata().getLabels())
        .containsEntry("dormouse.dev/role", "operator");
  }

  private static Map<String, Integer> ports(Container container) {
    return container.getPorts().stream()
        .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
  }

  private static void assertHttpProbe(Container container, Probe probe, String path) {
    assertThat(probe).as("%s probe of %s", path, container.getName()).isNotNull();
    assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
    String port = probe.getHttpGet().getPort().getStrVal();
    assertThat(container.getPorts())
        .as("probe port %s is declared", port)
        .anySatisfy(p -> assertThat(p.getName()).isEqualTo(port));
  }
}
