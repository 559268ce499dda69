package dev.dormouse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.crd.v1alpha1.Code;
import dev.dormouse.crd.v1alpha1.Violation;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import dev.dormouse.crd.v1alpha1.WebSocketRoomValidator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code spec.code.configMap} and {@code spec.env}: the generated schema's bounds and the
 * validator's checks on the same cases.
 */
class CodeAndEnvTest {

  static final JSONSchemaProps SPEC = GeneratedCrdTest.readSpec();

  static Stream<Arguments> configMaps() {
    return Stream.of(
        Arguments.of("seed-code", "js:seed-code/worker.js#WebSocketHibernationServer", null),
        Arguments.of("rooms.v2", "js:rooms.v2/chat.mjs#Chat", null),
        Arguments.of(
            "seed-code", "js:seed/worker.js#Room", "is not a key of ConfigMap 'seed-code'"),
        Arguments.of("seed", "js:seed-code/worker.js#Room", "is not a key of ConfigMap 'seed'"),
        Arguments.of("seed", "js:seed/lib/worker.js#Room", "is not a key of ConfigMap 'seed'"),
        Arguments.of("seed", "example", "must be js:seed/<key>#<ExportName>"),
        Arguments.of("seed", "com.example.Room", "must be js:seed/<key>#<ExportName>"),
        Arguments.of("Seed_Code", "js:Seed_Code/worker.js#Room", "must be a ConfigMap name"),
        Arguments.of("-seed", "js:-seed/worker.js#Room", "must be a ConfigMap name"),
        Arguments.of("a".repeat(254), "js:" + "a".repeat(254) + "/w.js#R", "at most 253"));
  }

  @ParameterizedTest
  @MethodSource("configMaps")
  void theConfigMapMustHoldTheHandlersModule(String configMap, String handler, String explained) {
    WebSocketRoom room = WebSocketRoomValidatorTest.room("lobby");
    room.getSpec().setHandler(handler);
    room.getSpec().setCode(new Code(configMap));
    List<Violation> violations = WebSocketRoomValidator.validate(room);
    if (explained == null) {
      assertThat(violations).isEmpty();
    } else {
      assertThat(violations)
          .singleElement()
          .extracting(Violation::message)
          .asString()
          .contains(explained);
    }
    // The schema's own name check (the pattern and length as the API server applies them).
    JSONSchemaProps name = SPEC.getProperties().get("code").getProperties().get("configMap");
    boolean schemaAccepts =
        com.google.re2j.Pattern.matches(name.getPattern(), configMap)
            && configMap.length() <= name.getMaxLength();
    assertThat(schemaAccepts)
        .as("schema on the name")
        .isEqualTo(
            explained == null
                || !explained.contains("ConfigMap name") && !explained.contains("253"));
  }

  @Test
  void theCelRuleTiesTheHandlerToTheConfigMap() {
    assertThat(SPEC.getXKubernetesValidations())
        .extracting(ValidationRule::getRule)
        .contains(WebSocketRoomSpec.CODE_RULE);
    assertThat(SPEC.getProperties().get("handler").getMaxLength())
        .as("bounds the rule's cost")
        .isEqualTo(WebSocketRoomSpec.HANDLER_MAX_LENGTH);
    assertThat(SPEC.getProperties().get("code").getRequired()).containsExactly("configMap");
  }

  @Test
  void envWithinTheLimitsIsAccepted() {
    Map<String, String> env = new HashMap<>();
    IntStream.range(0, 64).forEach(i -> env.put("SETTING_" + i, "v"));
    env.put("SETTING_0", "x".repeat(4096));
    env.put("SETTING_1", "");
    assertThat(WebSocketRoomValidator.validate(withEnv(env))).isEmpty();
  }

  @Test
  void tooManyEnvEntriesAreRefusedBySchemaAndValidator() {
    Map<String, String> env = new HashMap<>();
    IntStream.range(0, 65).forEach(i -> env.put("SETTING_" + i, "v"));
    assertThat(WebSocketRoomValidator.validate(withEnv(env)))
        .containsExactly(new Violation("spec.env", "must have at most 64 entries, got 65"));
    assertThat(SPEC.getProperties().get("env").getMaxProperties()).isEqualTo(64);
  }

  @Test
  void aTooLongEnvValueIsRefusedBySchemaAndValidator() {
    assertThat(WebSocketRoomValidator.validate(withEnv(Map.of("GREETING", "x".repeat(4097)))))
        .containsExactly(
            new Violation("spec.env.GREETING", "must be at most 4096 characters, got 4097"));
    assertThat(SPEC.getProperties().get("env").getAdditionalProperties().getSchema().getMaxLength())
        .isEqualTo(4096);
  }

  @Test
  void envNamesMustBeEnvironmentVariableNames() {
    assertThat(
            WebSocketRoomValidator.validate(
                withEnv(
                    Map.of("API_URL", "ok", "_x1", "ok", "1ST", "no", "my-var", "no", "", "no"))))
        .extracting(Violation::toString)
        .containsExactly(
            "spec.env: name '' must be an environment variable name (letters, digits and '_', not"
                + " starting with a digit)",
            "spec.env: name '1ST' must be an environment variable name (letters, digits and '_', not"
                + " starting with a digit)",
            "spec.env: name 'my-var' must be an environment variable name (letters, digits and '_',"
                + " not starting with a digit)");
  }

  static WebSocketRoom withEnv(Map<String, String> env) {
    WebSocketRoom room = WebSocketRoomValidatorTest.room("lobby");
    room.getSpec().setEnv(env);
    return room;
  }
}
