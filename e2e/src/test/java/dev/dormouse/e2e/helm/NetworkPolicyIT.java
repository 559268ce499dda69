package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyIT {

  private static final int LINK_PORT = 7070;

  /** Labels the operator puts on an owner pod. */
  private static final Map<String, String> OWNER =
      Map.of("dormouse.dev/role", "owner", "dormouse.dev/room", "chat");

  @Test
  void onlyThisReleasesGatewaysReachTheOwnersLinkPort() {
    Rendered rendered = Helm.template();
    Map<String, String> gateway = rendered.podTemplate("gateway").getMetadata().getLabels();
    Map<String, String> operator = rendered.podTemplate("operator").getMetadata().getLabels();

    List<NetworkPolicyIngressRule> linkRules = ownerLinkRules(rendered, Helm.NAMESPACE);

    assertThat(linkRules)
        .isNotEmpty()
        .allSatisfy(
            rule -> {
              assertThat(rule.getFrom()).as("a rule without peers admits everyone").isNotEmpty();
              assertThat(rule.getFrom())
                  .allSatisfy(
                      peer -> {
                        assertThat(peer.getIpBlock()).isNull();
                        assertThat(admits(peer, Helm.NAMESPACE, Helm.NAMESPACE, gateway))
                            .as("admits the gateway pods")
                            .isTrue();
                        assertThat(admits(peer, Helm.NAMESPACE, Helm.NAMESPACE, operator))
                            .isFalse();
                        assertThat(admits(peer, Helm.NAMESPACE, Helm.NAMESPACE, OWNER)).isFalse();
                        assertThat(admits(peer, Helm.NAMESPACE, "other", gateway))
                            .as("a look-alike pod in another namespace")
                            .isFalse();
                      });
            });
  }

  @Test
  void ownersInTheWatchedNamespaceAreCovered() {
    Rendered rendered = Helm.template("watchNamespaces={chat-prod}");

    assertThat(ownerLinkRules(rendered, "chat-prod"))
        .isNotEmpty()
        .allSatisfy(
            rule ->
                assertThat(rule.getFrom())
                    .allSatisfy(
                        peer ->
                            assertThat(
                                    admits(
                                        peer,
                                        "chat-prod",
                                        Helm.NAMESPACE,
                                        rendered.podTemplate("gateway").getMetadata().getLabels()))
                                .isTrue()));
  }

  @Test
  void bundledRedisAdmitsOnlyDormousePods() {
    Rendered rendered = Helm.template();
    Map<String, String> redisPod =
        rendered
            .named(StatefulSet.class, "redis")
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getLabels();
    NetworkPolicy policy =
        rendered.all(NetworkPolicy.class).stream()
            .filter(p -> Rendered.selects(p.getSpec().getPodSelector(), redisPod))
            .findFirst()
            .orElseThrow();

    assertThat(policy.getSpec().getIngress())
        .allSatisfy(
            rule ->
                assertThat(rule.getFrom())
                    .isNotEmpty()
                    .allSatisfy(
                        peer -> {
                          assertThat(admits(peer, Helm.NAMESPACE, "chat-prod", OWNER)).isTrue();
                          assertThat(
                                  admits(
                                      peer,
                                      Helm.NAMESPACE,
                                      Helm.NAMESPACE,
                                      rendered.podTemplate("gateway").getMetadata().getLabels()))
                              .isTrue();
                          assertThat(
                                  admits(
                                      peer,
                                      Helm.NAMESPACE,
                                      Helm.NAMESPACE,
                                      rendered.podTemplate("operator").getMetadata().getLabels()))
                              .isTrue();
                          assertThat(
                                  admits(
                                      peer,
                                      Helm.NAMESPACE,
                                      Helm.NAMESPACE,
                                      Map.of("app", "something-else")))
                              .isFalse();
                        }));
  }

  @Test
  void policiesCanBeTurnedOffForClustersWithoutEnforcement() {
    assertThat(Helm.template("networkPolicy.enabled=false").kindCounts())
        .doesNotContainKey("NetworkPolicy");
  }

  /** Ingress rules of the namespace's policies that select owner pods and open the link port (or every port). */
  private static List<NetworkPolicyIngressRule> ownerLinkRules(
      Rendered rendered, String namespace) {
    List<NetworkPolicy> policies =
        rendered.all(NetworkPolicy.class).stream()
            .filter(p -> namespace.equals(p.getMetadata().getNamespace()))
            .filter(p -> Rendered.selects(p.getSpec().getPodSelector(), OWNER))
            .toList();
    assertThat(policies).as("a policy selecting owner pods in %s", namespace).isNotEmpty();
    assertThat(policies)
        .allSatisfy(p -> assertThat(p.getSpec().getPolicyTypes()).contains("Ingress"));
    return policies.stream()
        .flatMap(p -> p.getSpec().getIngress().stream())
        .filter(
            rule ->
                rule.getPorts() == null
                    || rule.getPorts().isEmpty()
                    || rule.getPorts().stream()
                        .anyMatch(
                            port ->
                                port.getPort() == null
                                    || Integer.valueOf(LINK_PORT)
                                        .equals(port.getPort().getIntVal())))
        .toList();
  }

  /** Whether a peer of a policy in policyNamespace admits a pod (namespaces are labelled only by their name). */
  private static boolean admits(
      NetworkPolicyPeer peer,
      String policyNamespace,
      String podNamespace,
      Map<String, String> podLabels) {
    boolean namespaceOk =
        peer.getNamespaceSelector() == null
            ? podNamespace.equals(policyNamespace)
            : Rendered.selects(
                peer.getNamespaceSelector(), Map.of("kubernetes.io/metadata.name", podNamespace));
    boolean podOk =
        peer.getPodSelector() == null || Rendered.selects(peer.getPodSelector(), podLabels);
    return namespaceOk && podOk;
  }
}
