package dev.dormouse.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.dormouse.crd.build.PrinterColumnOrder;
import dev.dormouse.crd.v1alpha1.Limits;
import dev.dormouse.crd.v1alpha1.Owners;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the CRD the build generated and checks the parts users and the API server rely on. */
class GeneratedCrdTest {

  static final Path GENERATED =
      Path.of("target/classes/META-INF/fabric8/websocketrooms.dormouse.dev-v1.yml");

  static CustomResourceDefinition crd;
  static CustomResourceDefinitionVersion version;
  static JSONSchemaProps spec;

  @BeforeAll
  static void read() throws IOException {
    crd = Serialization.unmarshal(Files.readString(GENERATED), CustomResourceDefinition.class);
    version = crd.getSpec().getVersions().get(0);
    spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  /** The schema of {@code spec} in the generated CRD. */
  static JSONSchemaProps readSpec() {
    try {
      read();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return spec;
  }

  @Test
  void namesTheResourceAsTheSpecSays() {
    assertThat(crd.getMetadata().getName()).isEqualTo("websocketrooms.dormouse.dev");
    assertThat(crd.getSpec().getGroup()).isEqualTo(WebSocketRoom.GROUP);
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getNames().getKind()).isEqualTo("WebSocketRoom");
    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("wsroom");
    assertThat(version.getName()).isEqualTo("v1alpha1");
    assertThat(version.getServed()).isTrue();
    assertThat(version.getStorage()).isTrue();
  }

  @Test
  void hasTheStatusSubresource() {
    assertThat(version.getSubresources()).isNotNull();
    assertThat(version.getSubresources().getStatus()).isNotNull();
  }

  @Test
  void printsPhaseConnectionsActiveOwnersAndAgeInThatOrder() {
    // The order is kubectl's: the generator sorts by JSON path, PrinterColumnOrder puts it back.
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(
            tuple("PHASE", ".status.phase"),
            tuple("CONNECTIONS", ".status.connections"),
            tuple("ACTIVE", ".status.instances.active"),
            tuple("OWNERS", ".status.owners.ready"),
            tuple("AGE", ".metadata.creationTimestamp"));
    assertThat(PrinterColumnOrder.declared())
        .containsExactly("PHASE", "CONNECTIONS", "ACTIVE", "OWNERS", "AGE");
  }

  @Test
  void defaultsMatchTheJavaModel() {
    JSONSchemaProps limits = spec.getProperties().get("limits");
    assertThat(limits.getProperties().get("maxConnections").getDefault().asInt())
        .isEqualTo(Limits.DEFAULT_MAX_CONNECTIONS);
    assertThat(limits.getProperties().get("maxMessageBytes").getDefault().asInt())
        .isEqualTo(1024 * 1024);
    assertThat(limits.getProperties().get("maxAttachmentBytes").getDefault().asInt())
        .isEqualTo(16 * 1024);
    assertThat(limits.getProperties().get("maxTagsPerConnection").getDefault().asInt())
        .isEqualTo(10);
    assertThat(limits.getProperties().get("maxTagBytes").getDefault().asInt()).isEqualTo(256);
    assertThat(limits.getProperties().get("eventTimeout").getDefault().asText()).isEqualTo("30s");
    assertThat(limits.getProperties().get("wakeBufferMessages").getDefault().asInt())
        .isEqualTo(1000);
    assertThat(spec.getProperties().get("handler").getDefault().asText()).isEqualTo("example");
    JSONSchemaProps hibernation = spec.getProperties().get("hibernation");
    assertThat(hibernation.getProperties().get("idleTimeout").getDefault().asText())
        .isEqualTo("10s");
    assertThat(hibernation.getProperties().get("scaleToZeroAfter").getDefault().asText())
        .isEqualTo("5m");
    JSONSchemaProps owners = spec.getProperties().get("owners");
    assertThat(owners.getProperties().get("minReplicas").getDefault().asInt()).isZero();
    assertThat(owners.getProperties().get("activeInstancesPerOwner").getDefault().asInt())
        .isEqualTo(Owners.DEFAULT_ACTIVE_INSTANCES_PER_OWNER);
    // Nested defaults apply only when the parent object exists, so the parents default to objects
    // too.
    assertThat(limits.getDefault().get("maxConnections").asInt())
        .isEqualTo(Limits.DEFAULT_MAX_CONNECTIONS);
    assertThat(hibernation.getDefault().get("idleTimeout").asText()).isEqualTo("10s");
  }

  @Test
  void limitsHaveRanges() {
    JSONSchemaProps limits = spec.getProperties().get("limits");
    assertThat(limits.getProperties().get("maxConnections").getMinimum()).isEqualTo(1.0);
    assertThat(limits.getProperties().get("maxMessageBytes").getMinimum()).isEqualTo(1.0);
    assertThat(limits.getProperties().get("maxAttachmentBytes").getMinimum()).isZero();
    assertThat(limits.getProperties().get("maxAttachmentBytes").getMaximum())
        .isEqualTo(1024.0 * 1024);
    assertThat(limits.getProperties().get("wakeBufferMessages").getMinimum()).isZero();
    JSONSchemaProps owners = spec.getProperties().get("owners");
    assertThat(owners.getProperties().get("minReplicas").getMinimum()).isZero();
    assertThat(owners.getProperties().get("maxReplicas").getMinimum()).isEqualTo(1.0);
  }

  @Test
  void durationsArePatternChecked() {
    JSONSchemaProps hibernation = spec.getProperties().get("hibernation");
    assertThat(hibernation.getProperties().get("idleTimeout").getPattern())
        .isEqualTo("^([0-9]+(ms|s|m|h))+$");
    assertThat(hibernation.getProperties().get("scaleToZeroAfter").getPattern())
        .startsWith("^(never|");
    assertThat(spec.getProperties().get("limits").getProperties().get("eventTimeout").getPattern())
        .isEqualTo("^([0-9]+(ms|s|m|h))+$");
  }

  @Test
  void enumsListTheirValues() {
    assertThat(spec.getProperties().get("auth").getProperties().get("algorithm").getEnum())
        .extracting(n -> n.asText())
        .containsExactlyInAnyOrder("HS256", "RS256");
    JSONSchemaProps status = version.getSchema().getOpenAPIV3Schema().getProperties().get("status");
    assertThat(status.getProperties().get("phase").getEnum())
        .extracting(n -> n.asText())
        .containsExactlyInAnyOrder("Pending", "Active", "Hibernated", "Degraded");
  }

  @Test
  void celRulesGuardWhatRangesCannot() {
    assertThat(spec.getProperties().get("owners").getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .anySatisfy(rule -> assertThat(rule).contains("self.minReplicas <= self.maxReplicas"));
    assertThat(spec.getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .anySatisfy(rule -> assertThat(rule).contains("['example', 'echo', 'chat']"));
    assertThat(spec.getProperties().get("autoResponse").getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .contains("has(self.request) == has(self.response)");
  }

  @Test
  void everySpecFieldIsDescribed() {
    assertDescribed("spec", spec);
  }

  private static void assertDescribed(String path, JSONSchemaProps props) {
    if (props.getProperties() == null || path.endsWith(".resources")) {
      return; // resources is Kubernetes' own ResourceRequirements type
    }
    props
        .getProperties()
        .forEach(
            (name, child) -> {
              assertThat(child.getDescription())
                  .as("description of %s.%s", path, name)
                  .isNotBlank();
              assertDescribed(path + "." + name, child);
            });
  }
}
