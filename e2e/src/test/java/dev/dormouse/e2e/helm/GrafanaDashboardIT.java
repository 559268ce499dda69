package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chart's Grafana dashboard: a ConfigMap Grafana's sidecar loads, only when asked for. */
class GrafanaDashboardIT {

  /** The panels issue 17 asks for. */
  static final List<String> REQUIRED_PANELS =
      List.of(
          "Connections",
          "Messages in and out",
          "Wake latency",
          "Hibernated vs active instances",
          "Buffered events",
          "Closes 1013 / 1008 / 1009",
          "Lease losses",
          "Link health",
          "Redis cut-off");

  @Test
  void noDashboardUnlessAsked() {
    assertThat(Helm.template().all(ConfigMap.class))
        .noneMatch(c -> c.getMetadata().getName().endsWith("-grafana-dashboard"));
  }

  @Test
  void theDashboardCarriesTheSidecarsLabelAndEveryRequiredPanel() throws IOException {
    ConfigMap map =
        Helm.template("grafana.dashboard.enabled=true").named(ConfigMap.class, "grafana-dashboard");

    assertThat(map.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(map.getMetadata().getNamespace()).isEqualTo(Helm.NAMESPACE);
    assertThat(map.getData()).containsOnlyKeys("dormouse.json");
    JsonNode dashboard = new ObjectMapper().readTree(map.getData().get("dormouse.json"));
    assertThat(dashboard.path("uid").asText()).isEqualTo("dormouse");
    assertThat(titles(dashboard)).containsAll(REQUIRED_PANELS);
    assertThat(dashboard.path("templating").path("list").get(0).path("query").asText())
        .as("the data source is picked in Grafana, not fixed")
        .isEqualTo("prometheus");
  }

  @Test
  void labelNamespaceAndAnnotationsAreTheSidecarsToChoose() {
    ConfigMap map =
        Helm.template(
                "grafana.dashboard.enabled=true",
                "grafana.dashboard.label=dashboards",
                "grafana.dashboard.labelValue=dormouse",
                "grafana.dashboard.namespace=monitoring",
                "grafana.dashboard.annotations.grafana_folder=Rooms")
            .named(ConfigMap.class, "grafana-dashboard");

    assertThat(map.getMetadata().getLabels())
        .containsEntry("dashboards", "dormouse")
        .doesNotContainKey("grafana_dashboard");
    assertThat(map.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(map.getMetadata().getAnnotations()).containsEntry("grafana_folder", "Rooms");
  }

  @Test
  void theJsonIsTheChartsFileUntemplated() throws IOException {
    ConfigMap map =
        Helm.template("grafana.dashboard.enabled=true").named(ConfigMap.class, "grafana-dashboard");

    assertThat(map.getData().get("dormouse.json"))
        .as("legends such as {{pod}} reach Grafana as written")
        .isEqualToIgnoringWhitespace(
            java.nio.file.Files.readString(Helm.CHART.resolve("dashboards/dormouse.json")));
  }

  /** Every panel's datasource is the ${datasource} variable, so any Prometheus can back it. */
  @Test
  void everyQueryUsesTheDataSourceVariable() throws IOException {
    JsonNode dashboard =
        new ObjectMapper().readTree(Helm.CHART.resolve("dashboards/dormouse.json").toFile());
    for (JsonNode panel : dashboard.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText())
          .as(panel.path("title").asText())
          .isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
    }
  }

  static List<String> titles(JsonNode dashboard) {
    List<String> titles = new ArrayList<>();
    dashboard.path("panels").forEach(p -> titles.add(p.path("title").asText()));
    return titles;
  }
}
