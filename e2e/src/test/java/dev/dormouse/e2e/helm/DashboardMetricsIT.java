package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.e2e.cluster.DormouseCluster;
import dev.dormouse.e2e.cluster.PodRunner.RunningPod;
import dev.dormouse.e2e.cluster.ProcessLogs;
import dev.dormouse.testing.RoomManifest;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chart's Grafana dashboard asks only for what the processes export: every metric named by a
 * query is on the live {@code /metrics} of a gateway, an owner pod or the operator, each a real
 * process of the e2e harness (the owner started by the operator). And the chart's PodMonitor
 * reaches that owner pod, since without it every owner panel would be empty.
 */
@ExtendWith(ProcessLogs.class)
class DashboardMetricsIT {

  static final Duration WAIT = Duration.ofSeconds(60);
  static final Pattern OPERATOR_METRICS = Pattern.compile("health and metrics on :(\\d+)");

  /** PromQL words that are neither metrics nor functions (those are followed by a parenthesis). */
  static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "atan2");

  static DormouseCluster cluster;
  static RunningPod owner;

  @BeforeAll
  static void start() throws Exception {
    cluster = DormouseCluster.start(1);
    cluster.apply(
        RoomManifest.of(
            "dashboard",
            "example",
            """
            owners:
              minReplicas: 1
            """));
    cluster.awaitStatus(
        "dashboard", WAIT, s -> s.getOwners() != null && s.getOwners().ready() == 1);
    owner = cluster.pods().running("dashboard").get(0);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyMetricTheDashboardQueriesIsExportedByAProcess() throws Exception {
    Map<String, Set<String>> exported = new LinkedHashMap<>();
    exported.put("gateway", exportedNames(cluster.gateway(0).ready().resolve("/metrics")));
    exported.put("owner", exportedNames(owner.admin("/metrics")));
    Matcher operatorPort = OPERATOR_METRICS.matcher(cluster.operator().output());
    assertThat(operatorPort.find()).as("the operator logs its metrics port").isTrue();
    exported.put(
        "operator",
        exportedNames(URI.create("http://127.0.0.1:" + operatorPort.group(1) + "/metrics")));
    Set<String> all = new TreeSet<>();
    exported.values().forEach(all::addAll);

    Map<String, Set<String>> queried = queriedNames(dashboard());

    assertThat(queried).as("panels with queries").isNotEmpty();
    Map<String, Set<String>> missing = new LinkedHashMap<>();
    queried.forEach(
        (panel, names) -> {
          Set<String> absent = new TreeSet<>(names);
          absent.removeAll(all);
          if (!absent.isEmpty()) {
            missing.put(panel, absent);
          }
        });
    assertThat(missing)
        .as("metrics no process exports, by panel; exported: %s", exported)
        .isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void theOwnersPodMonitorSelectsTheOwnerPodTheOperatorMadeAndItsAdminPort() {
    Map<String, Object> spec =
        MetricsIT.podMonitorSpec(Helm.template("metrics.serviceMonitor.enabled=true"));
    LabelSelector selector =
        Rendered.SERIALIZATION.convertValue(spec.get("selector"), LabelSelector.class);
    Pod pod =
        cluster.client().pods().inNamespace(DormouseCluster.NAMESPACE).withName(owner.name()).get();

    assertThat(Rendered.selects(selector, pod.getMetadata().getLabels()))
        .as("selector %s, pod labels %s", selector, pod.getMetadata().getLabels())
        .isTrue();
    String port =
        (String) ((List<Map<String, Object>>) spec.get("podMetricsEndpoints")).get(0).get("port");
    int adminPort =
        pod.getSpec().getContainers().get(0).getPorts().stream()
            .filter(p -> p.getName().equals(port))
            .map(ContainerPort::getContainerPort)
            .findFirst()
            .orElseThrow();
    assertThat(owner.admin("/metrics").getPort())
        .as("the port the owner serves /metrics on")
        .isEqualTo(adminPort);
  }

  @Test
  void queriesAreReadForTheirMetricsOnly() {
    assertThat(
            metricNames(
                "sum by (code) (rate(a_total{code=~\"1013|x_y\"}[$__rate_interval]))"
                    + " / on (pod) group_left b_seconds_sum offset 5m or vector(0) > bool 1e3"))
        .containsExactlyInAnyOrder("a_total", "b_seconds_sum");
    assertThat(metricNames("max(c{quantile=\"0.99\"}) by (pod)")).containsExactly("c");
  }

  static JsonNode dashboard() throws IOException {
    return new ObjectMapper().readTree(Helm.CHART.resolve("dashboards/dormouse.json").toFile());
  }

  /** Panel title → the metric names its queries read. */
  static Map<String, Set<String>> queriedNames(JsonNode dashboard) {
    Map<String, Set<String>> byPanel = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        byPanel
            .computeIfAbsent(panel.path("title").asText(), t -> new TreeSet<>())
            .addAll(metricNames(target.path("expr").asText()));
      }
    }
    return byPanel;
  }

  /**
   * The metric names of a PromQL expression: what is left once strings, label matchers, ranges and
   * grouping clauses are blanked, less functions (a name before a parenthesis) and keywords. A
   * summary's {@code _sum} and {@code _count} are series names of their own on the page, so the
   * names are compared as written.
   */
  static Set<String> metricNames(String expr) {
    String bare =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
            .replaceAll("'(?:[^'\\\\]|\\\\.)*'", " ")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
            .replaceAll("\\b(?:group_left|group_right)\\b", " ");
    Matcher matcher =
        Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
    Set<String> names = new TreeSet<>();
    while (matcher.find()) {
      if (matcher.group(2) == null && !KEYWORDS.contains(matcher.group(1).toLowerCase())) {
        names.add(matcher.group(1));
      }
    }
    return names;
  }

  /** The series names on a Prometheus page, as a scrape reads them. */
  static Set<String> exportedNames(URI metrics) throws Exception {
    String page =
        await()
            .atMost(WAIT)
            .ignoreExceptions()
            .until(() -> DormouseCluster.get(metrics), r -> r.statusCode() == 200)
            .body();
    Set<String> names = new TreeSet<>();
    Matcher line = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(page);
    while (line.find()) {
      names.add(line.group(1));
    }
    return names;
  }
}
