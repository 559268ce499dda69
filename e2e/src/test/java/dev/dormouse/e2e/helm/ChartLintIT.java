package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChartLintIT {

  /** Value sets an operator of the chart would realistically use; "," separates --set entries. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "redis.enabled=false,redis.url=rediss://redis.example.com:6380,redis.auth.existingSecret=redis-auth",
        "watchNamespaces={rooms},metrics.serviceMonitor.enabled=true,gateway.autoscaling.connectionsPerPod=500",
        "metrics.serviceMonitor.enabled=true,grafana.dashboard.enabled=true,grafana.dashboard.namespace=monitoring",
        "gateway.autoscaling.enabled=false,gateway.pdb.enabled=false,networkPolicy.enabled=false,redis.persistence.enabled=false",
      })
  void lintsCleanWithStrict(String sets) {
    List<String> args =
        new ArrayList<>(
            List.of("lint", "--strict", Helm.CHART.toString(), "--namespace", Helm.NAMESPACE));
    for (String set : sets.isEmpty() ? new String[0] : sets.split(",(?![^{]*})")) {
      args.add("--set");
      args.add(set);
    }
    Helm.Result result = Helm.run(args);
    assertThat(result.exitCode())
        .as("helm lint %s:%n%s%s", sets, result.stdout(), result.stderr())
        .isZero();
    assertThat(result.stdout()).contains("0 chart(s) failed");
  }

  @Test
  void defaultInstallRendersTheWholeSystemWithoutTheCrd() {
    Rendered rendered = Helm.template();

    // The CRD comes from crds/ (installed once, never templated) so upgrades cannot delete rooms
    // with it.
    assertThat(rendered.kindCounts())
        .containsExactlyInAnyOrderEntriesOf(
            Map.ofEntries(
                Map.entry("ServiceAccount", 2L),
                Map.entry("Secret", 2L),
                Map.entry("ClusterRole", 2L),
                Map.entry("ClusterRoleBinding", 2L),
                Map.entry("Role", 1L),
                Map.entry("RoleBinding", 1L),
                Map.entry("Deployment", 2L),
                Map.entry("Service", 3L),
                Map.entry("HorizontalPodAutoscaler", 1L),
                Map.entry("PodDisruptionBudget", 1L),
                Map.entry("StatefulSet", 1L),
                Map.entry("NetworkPolicy", 2L)));
  }

  @Test
  void namespacedObjectsLandInTheReleaseNamespace() {
    Rendered rendered = Helm.template();

    assertThat(rendered.objects())
        .filteredOn(o -> o instanceof Namespaced)
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getNamespace())
                    .as(describe(o))
                    .isEqualTo(Helm.NAMESPACE));
  }

  @Test
  void everyObjectCarriesTheReleaseLabels() {
    assertThat(Helm.template().objects())
        .allSatisfy(
            o ->
                assertThat(o.getMetadata().getLabels())
                    .as(describe(o))
                    .containsEntry("app.kubernetes.io/instance", Helm.RELEASE)
                    .containsEntry("app.kubernetes.io/managed-by", "Helm")
                    .containsKey("app.kubernetes.io/component"));
  }

  private static String describe(HasMetadata o) {
    return o.getKind() + " " + o.getMetadata().getName();
  }
}
