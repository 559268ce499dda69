package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What each service account may do, resolved through the bindings the chart renders. */
class RbacIT {

  private static final String CLUSTER = "<cluster>";

  private static final Map<String, Set<String>> OPERATOR_ROOMS =
      Map.of(
          "dormouse.dev/websocketrooms", Set.of("get", "list", "watch", "update", "patch"),
          "dormouse.dev/websocketrooms/status", Set.of("get", "update", "patch"),
          "dormouse.dev/websocketrooms/finalizers", Set.of("update"),
          "pods", Set.of("get", "list", "watch", "create", "delete"),
          "events", Set.of("create", "patch"));
  private static final Map<String, Set<String>> OPERATOR_LEADER_ELECTION =
      Map.of("coordination.k8s.io/leases", Set.of("get", "create", "update"));
  private static final Map<String, Set<String>> GATEWAY =
      Map.of(
          "dormouse.dev/websocketrooms", Set.of("get", "list", "watch", "patch"),
          "pods", Set.of("get", "list", "watch"));

  @Test
  void allNamespacesGrantsExactlyWhatTheProcessesUse() {
    Rendered rendered = Helm.template();

    assertThat(permissions(rendered, "operator"))
        .isEqualTo(Map.of(CLUSTER, OPERATOR_ROOMS, Helm.NAMESPACE, OPERATOR_LEADER_ELECTION));
    assertThat(permissions(rendered, "gateway")).isEqualTo(Map.of(CLUSTER, GATEWAY));
  }

  @Test
  void oneWatchedNamespaceNeedsNoClusterWideRights() {
    Rendered rendered = Helm.template("watchNamespaces={chat-prod}");

    assertThat(rendered.kindCounts()).doesNotContainKeys("ClusterRole", "ClusterRoleBinding");
    assertThat(permissions(rendered, "operator"))
        .isEqualTo(Map.of("chat-prod", OPERATOR_ROOMS, Helm.NAMESPACE, OPERATOR_LEADER_ELECTION));
    assertThat(permissions(rendered, "gateway")).isEqualTo(Map.of("chat-prod", GATEWAY));
  }

  @Test
  void operatorElectsItsLeaderWhereItMayWriteLeases() {
    Rendered rendered = Helm.template();
    String leaseNamespace =
        Rendered.env(rendered.container("operator")).get("DORMOUSE_LEASE_NAMESPACE").getValue();

    assertThat(permissions(rendered, "operator").get(leaseNamespace))
        .containsAllEntriesOf(OPERATOR_LEADER_ELECTION);
  }

  @Test
  void noWildcardsAndNoSecretsAnywhere() {
    for (Rendered rendered :
        List.of(Helm.template(), Helm.template("watchNamespaces={chat-prod}"))) {
      List<PolicyRule> rules = new ArrayList<>();
      rendered.all(ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
      rendered.all(Role.class).forEach(r -> rules.addAll(r.getRules()));

      assertThat(rules)
          .isNotEmpty()
          .allSatisfy(
              rule -> {
                assertThat(rule.getVerbs()).doesNotContain("*");
                assertThat(rule.getResources()).doesNotContain("*", "secrets", "configmaps");
                assertThat(rule.getApiGroups()).doesNotContain("*");
                assertThat(rule.getNonResourceURLs()).isEmpty();
              });
    }
  }

  @Test
  void deploymentsRunAsTheBoundServiceAccounts() {
    Rendered rendered = Helm.template();

    for (String component : List.of("operator", "gateway")) {
      assertThat(rendered.podTemplate(component).getSpec().getServiceAccountName())
          .isEqualTo(Helm.FULLNAME + "-" + component);
    }
  }

  /** Scope (namespace, or {@value #CLUSTER}) → "group/resource" → verbs granted to the component's service account. */
  private static Map<String, Map<String, Set<String>>> permissions(
      Rendered rendered, String component) {
    String serviceAccount = Helm.FULLNAME + "-" + component;
    Map<String, Map<String, Set<String>>> result = new TreeMap<>();
    for (ClusterRoleBinding binding : rendered.all(ClusterRoleBinding.class)) {
      if (binds(binding.getSubjects(), serviceAccount)) {
        grant(result, CLUSTER, rulesOf(rendered, binding.getRoleRef(), null));
      }
    }
    for (RoleBinding binding : rendered.all(RoleBinding.class)) {
      if (binds(binding.getSubjects(), serviceAccount)) {
        String namespace = binding.getMetadata().getNamespace();
        grant(result, namespace, rulesOf(rendered, binding.getRoleRef(), namespace));
      }
    }
    return result;
  }

  private static boolean binds(List<Subject> subjects, String serviceAccount) {
    return subjects.stream()
        .anyMatch(
            s ->
                s.getKind().equals("ServiceAccount")
                    && s.getName().equals(serviceAccount)
                    && Helm.NAMESPACE.equals(s.getNamespace()));
  }

  /** The rules of the role a binding refers to; a dangling roleRef fails the test, as it would grant nothing. */
  private static List<PolicyRule> rulesOf(Rendered rendered, RoleRef ref, String namespace) {
    List<? extends HasMetadata> candidates =
        ref.getKind().equals("ClusterRole")
            ? rendered.all(ClusterRole.class)
            : rendered.all(Role.class);
    HasMetadata role =
        candidates.stream()
            .filter(r -> r.getMetadata().getName().equals(ref.getName()))
            .filter(
                r ->
                    namespace == null
                        || ref.getKind().equals("ClusterRole")
                        || namespace.equals(r.getMetadata().getNamespace()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "binding refers to missing " + ref.getKind() + " " + ref.getName()));
    return role instanceof ClusterRole c ? c.getRules() : ((Role) role).getRules();
  }

  private static void grant(
      Map<String, Map<String, Set<String>>> result, String scope, List<PolicyRule> rules) {
    Map<String, Set<String>> resources = result.computeIfAbsent(scope, s -> new TreeMap<>());
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          String key = group.isEmpty() ? resource : group + "/" + resource;
          resources.computeIfAbsent(key, k -> new TreeSet<>()).addAll(rule.getVerbs());
        }
      }
    }
  }
}
