package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The objects of one {@code helm template} run, typed by fabric8 (unknown kinds are generic). */
public record Rendered(List<HasMetadata> objects) {

  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  public static Rendered parse(String yaml) {
    Object parsed = SERIALIZATION.unmarshal(yaml);
    if (parsed == null) {
      return new Rendered(List.of());
    }
    List<?> documents = parsed instanceof List<?> list ? list : List.of(parsed);
    return new Rendered(documents.stream().map(HasMetadata.class::cast).toList());
  }

  /** Kind → number of objects of that kind. */
  Map<String, Long> kindCounts() {
    return objects.stream()
        .collect(Collectors.groupingBy(HasMetadata::getKind, TreeMap::new, Collectors.counting()));
  }

  public <T extends HasMetadata> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The single object of a type named "{@value Helm#FULLNAME}-{suffix}". */
  <T extends HasMetadata> T named(Class<T> type, String suffix) {
    String name = Helm.FULLNAME + "-" + suffix;
    List<T> matches =
        all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).toList();
    assertThat(matches).as("%s %s", type.getSimpleName(), name).hasSize(1);
    return matches.get(0);
  }

  public Deployment deployment(String component) {
    return named(Deployment.class, component);
  }

  PodTemplateSpec podTemplate(String component) {
    return deployment(component).getSpec().getTemplate();
  }

  /** The component's only container. */
  Container container(String component) {
    List<Container> containers = podTemplate(component).getSpec().getContainers();
    assertThat(containers).as("containers of %s", component).hasSize(1);
    return containers.get(0);
  }

  /** Environment of the component's container by name, in declaration order. */
  static Map<String, EnvVar> env(Container container) {
    return container.getEnv().stream()
        .collect(
            Collectors.toMap(
                EnvVar::getName,
                Function.identity(),
                (a, b) -> {
                  throw new AssertionError("env " + a.getName() + " declared twice");
                },
                LinkedHashMap::new));
  }

  /** Kubernetes label selector semantics (matchLabels and matchExpressions). */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null
        && !selector.getMatchLabels().entrySet().stream()
            .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    if (selector.getMatchExpressions() == null) {
      return true;
    }
    for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
      String value = labels.get(requirement.getKey());
      boolean ok =
          switch (requirement.getOperator()) {
            case "In" -> value != null && requirement.getValues().contains(value);
            case "NotIn" -> value == null || !requirement.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default ->
                throw new AssertionError("unknown selector operator " + requirement.getOperator());
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
