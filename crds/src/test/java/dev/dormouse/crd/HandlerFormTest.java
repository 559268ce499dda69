package dev.dormouse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.crd.v1alpha1.Violation;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import dev.dormouse.crd.v1alpha1.WebSocketRoomValidator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table of handlers against the three places that judge them: the CRD's pattern as the API
 * server reads it (RE2, Go's regexp), the same pattern in Java, and the validator, whose message
 * must say which part of a malformed one is wrong.
 */
class HandlerFormTest {

  /** {@code explained} is null for a handler that is accepted, else what the message must say. */
  static Stream<Arguments> handlers() {
    return Stream.of(
        accepted("example"),
        accepted("com.example.rooms.GameRoom"),
        accepted("js:worker.js#Room"),
        accepted("js:seed/worker.js#WebSocketHibernationServer"),
        accepted("js:a/b/c/room.mjs#$Room_2"),
        accepted("js:lib-1/my_room.v2.js#_"),
        accepted("js:.hidden/x.js#A"),
        accepted("js:...three/x.js#A"),
        accepted("js:..x/y.js#A"),
        refused("js:seed/worker.js", "no '#' after the module file"),
        refused("js:seed/worker.js#", "export name '' is not a JavaScript identifier"),
        refused("js:seed/worker.js#2Room", "export name '2Room' is not a JavaScript identifier"),
        refused("js:seed/worker.js#My-Room", "export name 'My-Room' is not a JavaScript"),
        refused("js:seed/worker.js#A#B", "export name 'A#B' is not a JavaScript identifier"),
        refused("js:#Room", "names no module file before '#'"),
        refused("js:/opt/dormouse/lib/x.js#Room", "must be relative to the room library folder"),
        refused("js:../etc/x.js#Room", "must not have '.' or '..' segments"),
        refused("js:seed/../../x.js#Room", "must not have '.' or '..' segments"),
        refused("js:./x.js#Room", "must not have '.' or '..' segments"),
        refused("js:seed//x.js#Room", "joined by single '/'"),
        refused("js:seed/x.js/#Room", "joined by single '/'"),
        refused("js:se ed/x.js#Room", "may only have letters, digits"),
        refused("js:seed\\x.js#Room", "may only have letters, digits"),
        refused("js:seed/worker.ts#Room", "must end in .js or .mjs"),
        refused("js:seed/worker#Room", "must end in .js or .mjs"),
        refused("js:seed/worker.jsx#Room", "must end in .js or .mjs"),
        refused("python:room.py#Room", "js:<file>#<ExportName>"),
        refused("com.example.", "js:<file>#<ExportName>"));
  }

  static final Pattern JAVA = Pattern.compile(WebSocketRoomSpec.HANDLER_PATTERN);
  static final com.google.re2j.Pattern RE2 =
      com.google.re2j.Pattern.compile(WebSocketRoomSpec.HANDLER_PATTERN);

  @ParameterizedTest
  @MethodSource("handlers")
  void theSchemaPatternJudgesAsGoesRegexpDoes(String handler, String explained) {
    assertThat(RE2.matches(handler)).as("RE2 (the API server)").isEqualTo(explained == null);
    assertThat(JAVA.matcher(handler).matches()).as("java.util.regex").isEqualTo(explained == null);
  }

  @ParameterizedTest
  @MethodSource("handlers")
  void theValidatorJudgesAlikeAndSaysWhatIsWrong(String handler, String explained) {
    List<Violation> violations = WebSocketRoomValidator.validate(withHandler(handler));
    if (explained == null) {
      assertThat(violations).isEmpty();
    } else {
      assertThat(violations)
          .singleElement()
          .satisfies(
              v -> {
                assertThat(v.field()).isEqualTo("spec.handler");
                assertThat(v.message()).contains(explained);
              });
    }
  }

  static WebSocketRoom withHandler(String handler) {
    WebSocketRoom room = WebSocketRoomValidatorTest.room("lobby");
    room.getSpec().setHandler(handler);
    return room;
  }

  private static Arguments accepted(String handler) {
    return Arguments.of(handler, null);
  }

  private static Arguments refused(String handler, String explained) {
    return Arguments.of(handler, explained);
  }
}
