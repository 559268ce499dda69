package dev.dormouse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.crd.v1alpha1.Limits;
import dev.dormouse.crd.v1alpha1.Violation;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomValidator;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code spec.limits.maxStorageValueBytes}: the generated schema (what the API server checks) and
 * {@link WebSocketRoomValidator} (what a process reading room files checks) accept the same values.
 */
class StorageValueLimitTest {

  static JSONSchemaProps schema;

  @BeforeAll
  static void read() throws Exception {
    GeneratedCrdTest.read();
    schema =
        GeneratedCrdTest.spec
            .getProperties()
            .get("limits")
            .getProperties()
            .get("maxStorageValueBytes");
  }

  @Test
  void defaultsTo128KibibytesInTheSchemaAndTheModel() {
    assertThat(schema.getDefault().asInt()).isEqualTo(128 * 1024);
    assertThat(new Limits().getMaxStorageValueBytes()).isEqualTo(128 * 1024);
    assertThat(
            GeneratedCrdTest.spec
                .getProperties()
                .get("limits")
                .getDefault()
                .get("maxStorageValueBytes")
                .asInt())
        .as("the limits object's own default carries it too")
        .isEqualTo(131072);
    assertThat(schema.getDescription()).contains("storage");
  }

  @ParameterizedTest(name = "{0}: valid {1}")
  @CsvSource({
    "-1, false",
    "0, false",
    "1, true",
    "131072, true",
    "8388608, true",
    "8388609, false",
    "2147483647, false"
  })
  void schemaAndValidatorAgree(int value, boolean valid) {
    boolean schemaAccepts = value >= schema.getMinimum() && value <= schema.getMaximum();
    WebSocketRoom room = WebSocketRoomValidatorTest.room("stored");
    room.getSpec().getLimits().setMaxStorageValueBytes(value);
    boolean validatorAccepts = WebSocketRoomValidator.validate(room).isEmpty();

    assertThat(schemaAccepts).as("the schema").isEqualTo(valid);
    assertThat(validatorAccepts).as("the validator").isEqualTo(valid);
  }

  @Test
  void theValidatorNamesTheFieldAndTheBound() {
    WebSocketRoom room = WebSocketRoomValidatorTest.room("stored");
    room.getSpec().getLimits().setMaxStorageValueBytes(0);
    assertThat(WebSocketRoomValidator.validate(room))
        .containsExactly(
            new Violation("spec.limits.maxStorageValueBytes", "must be at least 1, got 0"));
  }
}
