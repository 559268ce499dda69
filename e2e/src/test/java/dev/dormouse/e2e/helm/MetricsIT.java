package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsIT {

  @Test
  void noServiceMonitorUnlessAsked() {
    assertThat(Helm.template().kindCounts())
        .doesNotContainKey("ServiceMonitor")
        .doesNotContainKey("PodMonitor");
  }

  @Test
  void podMonitorScrapesOwnerPodsInEveryNamespaceTheyMayBeIn() {
    Rendered rendered =
        Helm.template(
            "metrics.serviceMonitor.enabled=true",
            "metrics.serviceMonitor.labels.release=prom",
            "metrics.serviceMonitor.interval=15s");
    Map<String, Object> spec = podMonitorSpec(rendered);

    assertThat(podMonitor(rendered).getMetadata().getLabels())
        .as("label Prometheus selects monitors by, as for the ServiceMonitor")
        .containsEntry("release", "prom");

    assertThat(spec.get("namespaceSelector"))
        .as("owners of every namespace, as the release serves them all")
        .isEqualTo(Map.of("any", true));
    assertThat((List<?>) spec.get("podMetricsEndpoints"))
        .singleElement()
        .isEqualTo(Map.of("port", "admin", "path", "/metrics", "interval", "15s"));
    // The selector against a real owner pod's labels and ports: DashboardMetricsIT.
  }

  @Test
  void podMonitorOfOneWatchedNamespaceLooksOnlyThere() {
    Map<String, Object> spec =
        podMonitorSpec(
            Helm.template("metrics.serviceMonitor.enabled=true", "watchNamespaces={rooms}"));

    assertThat(spec.get("namespaceSelector")).isEqualTo(Map.of("matchNames", List.of("rooms")));
  }

  /** The spec of the owners' PodMonitor, the only one, named and placed as the release's. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> podMonitorSpec(Rendered rendered) {
    GenericKubernetesResource monitor = podMonitor(rendered);
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getName()).isEqualTo(Helm.FULLNAME + "-owners");
    assertThat(monitor.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
    return (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
  }

  static GenericKubernetesResource podMonitor(Rendered rendered) {
    List<GenericKubernetesResource> monitors =
        rendered.all(GenericKubernetesResource.class).stream()
            .filter(o -> o.getKind().equals("PodMonitor"))
            .toList();
    assertThat(monitors).hasSize(1);
    return monitors.get(0);
  }

  @Test
  @SuppressWarnings("unchecked")
  void serviceMonitorScrapesTheAdminPortsOfGatewayAndOperator() {
    Rendered rendered =
        Helm.template(
            "metrics.serviceMonitor.enabled=true", "metrics.serviceMonitor.labels.release=prom");

    GenericKubernetesResource monitor =
        rendered.all(GenericKubernetesResource.class).stream()
            .filter(o -> o.getKind().equals("ServiceMonitor"))
            .findFirst()
            .orElseThrow();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(monitor.getMetadata().getLabels())
        .as("label Prometheus selects monitors by")
        .containsEntry("release", "prom");
    Map<?, ?> spec = (Map<?, ?>) monitor.getAdditionalProperties().get("spec");
    LabelSelector selector =
        Rendered.SERIALIZATION.convertValue(spec.get("selector"), LabelSelector.class);
    assertThat((List<?>) spec.get("endpoints"))
        .singleElement()
        .satisfies(
            e ->
                assertThat((Map<String, Object>) e)
                    .containsEntry("port", "metrics")
                    .containsEntry("path", "/metrics"));

    List<Service> scraped =
        rendered.all(Service.class).stream()
            .filter(s -> Rendered.selects(selector, s.getMetadata().getLabels()))
            .toList();
    assertThat(scraped)
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder(
            Helm.FULLNAME + "-gateway-metrics", Helm.FULLNAME + "-operator-metrics");
    assertMetricsServiceTargets(rendered, "gateway", "admin");
    assertMetricsServiceTargets(rendered, "operator", "health");
  }

  @Test
  void clientServiceNeverExposesTheAdminPort() {
    Service gateway =
        Helm.template("metrics.serviceMonitor.enabled=true").named(Service.class, "gateway");

    assertThat(gateway.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getTargetPort().getStrVal()).isEqualTo("http"));
  }

  /** The metrics Service selects the component's pods and targets the container port serving /metrics. */
  private static void assertMetricsServiceTargets(
      Rendered rendered, String component, String containerPortName) {
    Service service = rendered.named(Service.class, component + "-metrics");
    assertThat(service.getSpec().getSelector())
        .isEqualTo(
            Map.copyOf(rendered.deployment(component).getSpec().getSelector().getMatchLabels()));
    int adminPort =
        rendered.container(component).getPorts().stream()
            .filter(p -> p.getName().equals(containerPortName))
            .map(ContainerPort::getContainerPort)
            .findFirst()
            .orElseThrow();
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("metrics");
              assertThat(p.getTargetPort().getIntVal()).isEqualTo(adminPort);
            });
  }
}
