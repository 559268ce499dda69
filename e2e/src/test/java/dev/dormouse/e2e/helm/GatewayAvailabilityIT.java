package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What keeps client sockets alive through scaling, drains and rollouts. */
class GatewayAvailabilityIT {

  @Test
  void hpaScalesTheGatewayOnCpuAndLeavesReplicasToItself() {
    Rendered rendered =
        Helm.template("gateway.autoscaling.minReplicas=3", "gateway.autoscaling.maxReplicas=12");
    HorizontalPodAutoscaler hpa = rendered.named(HorizontalPodAutoscaler.class, "gateway");

    assertThat(hpa.getApiVersion()).isEqualTo("autoscaling/v2");
    assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
    assertThat(hpa.getSpec().getScaleTargetRef().getName())
        .isEqualTo(rendered.deployment("gateway").getMetadata().getName());
    assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
    assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(12);
    assertThat(hpa.getSpec().getMetrics())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getResource().getName()).isEqualTo("cpu");
              assertThat(m.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
            });
    assertThat(rendered.deployment("gateway").getSpec().getReplicas())
        .as("a fixed replica count would make every helm upgrade undo the HPA")
        .isNull();
    assertThat(rendered.container("gateway").getResources().getRequests())
        .as("CPU utilization needs a request")
        .containsKey("cpu");
  }

  @Test
  void connectionsPerPodAddsThePodsMetric() {
    HorizontalPodAutoscaler hpa =
        Helm.template("gateway.autoscaling.connectionsPerPod=5000")
            .named(HorizontalPodAutoscaler.class, "gateway");

    MetricSpec pods =
        hpa.getSpec().getMetrics().stream()
            .filter(m -> m.getType().equals("Pods"))
            .findFirst()
            .orElseThrow();
    assertThat(pods.getPods().getMetric().getName()).isEqualTo("dormouse_gateway_connections");
    assertThat(pods.getPods().getTarget().getType()).isEqualTo("AverageValue");
    assertThat(pods.getPods().getTarget().getAverageValue().toString()).isEqualTo("5000");
    assertThat(hpa.getSpec().getMetrics())
        .extracting(MetricSpec::getType)
        .containsExactlyInAnyOrder("Resource", "Pods");
  }

  @Test
  void withoutAutoscalingTheReplicaCountIsFixed() {
    Rendered rendered = Helm.template("gateway.autoscaling.enabled=false", "gateway.replicas=4");

    assertThat(rendered.kindCounts()).doesNotContainKey("HorizontalPodAutoscaler");
    assertThat(rendered.deployment("gateway").getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  void pdbCoversExactlyTheGatewayPods() {
    Rendered rendered = Helm.template();
    PodDisruptionBudget pdb = rendered.named(PodDisruptionBudget.class, "gateway");

    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(
            Rendered.selects(pdb.getSpec().getSelector(), labels(rendered.deployment("gateway"))))
        .isTrue();
    assertThat(
            Rendered.selects(pdb.getSpec().getSelector(), labels(rendered.deployment("operator"))))
        .isFalse();
  }

  @Test
  void shutdownDrainsBeforeSigtermAndLeavesTimeToCloseClients() {
    Rendered rendered =
        Helm.template("gateway.preStopSleepSeconds=15", "gateway.terminationGracePeriodSeconds=90");
    PodSpec pod = rendered.podTemplate("gateway").getSpec();
    Container gateway = rendered.container("gateway");

    assertThat(gateway.getLifecycle().getPreStop().getExec().getCommand())
        .containsExactly("sleep", "15");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(90L);
    assertThat(
            Helm.templateError(
                "gateway.preStopSleepSeconds=60", "gateway.terminationGracePeriodSeconds=60"))
        .contains("gateway.terminationGracePeriodSeconds must exceed gateway.preStopSleepSeconds");
  }

  @Test
  void rolloutAddsAGatewayBeforeRemovingOne() {
    Deployment gateway = Helm.template().deployment("gateway");

    assertThat(gateway.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal())
        .isZero();
  }

  @Test
  void gatewaysSpreadOverZonesAndNodes() {
    Rendered rendered = Helm.template();

    assertThat(rendered.podTemplate("gateway").getSpec().getTopologySpreadConstraints())
        .extracting(c -> c.getTopologyKey())
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    assertThat(rendered.podTemplate("gateway").getSpec().getTopologySpreadConstraints())
        .allSatisfy(
            c ->
                assertThat(
                        Rendered.selects(
                            c.getLabelSelector(), labels(rendered.deployment("gateway"))))
                    .isTrue());
    assertThat(
            Helm.template("gateway.topologySpread.enabled=false")
                .podTemplate("gateway")
                .getSpec()
                .getTopologySpreadConstraints())
        .isEmpty();
  }

  private static Map<String, String> labels(Deployment deployment) {
    return deployment.getSpec().getTemplate().getMetadata().getLabels();
  }
}
