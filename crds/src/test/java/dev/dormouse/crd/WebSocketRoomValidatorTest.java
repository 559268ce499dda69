package dev.dormouse.crd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.crd.v1alpha1.Auth;
import dev.dormouse.crd.v1alpha1.AutoResponse;
import dev.dormouse.crd.v1alpha1.InvalidRoomException;
import dev.dormouse.crd.v1alpha1.Violation;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomValidator;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketRoomValidatorTest {

  static WebSocketRoom room(String name) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName(name).build());
    return room;
  }

  @Test
  void defaultsAreValid() {
    assertThat(WebSocketRoomValidator.validate(room("lobby"))).isEmpty();
  }

  @Test
  void negativeLimitIsRefusedNamingTheField() {
    WebSocketRoom room = room("lobby");
    room.getSpec().getLimits().setMaxConnections(-1);
    assertThat(WebSocketRoomValidator.validate(room))
        .containsExactly(new Violation("spec.limits.maxConnections", "must be at least 1, got -1"));
  }

  @Test
  void rateLimitsOutOfRangeAreRefusedNamingTheField() {
    WebSocketRoom room = room("lobby");
    room.getSpec().getLimits().setMessagesPerSecond(0);
    room.getSpec().getLimits().setMessagesBurst(2_000_000);
    room.getSpec().getLimits().setBytesPerSecond(-5);
    assertThat(WebSocketRoomValidator.validate(room))
        .containsExactly(
            new Violation("spec.limits.messagesPerSecond", "must be at least 1, got 0"),
            new Violation("spec.limits.messagesBurst", "must be at most 1000000, got 2000000"),
            new Violation("spec.limits.bytesPerSecond", "must be at least 1, got -5"));
  }

  @Test
  void aByteBurstSmallerThanTheLargestMessageIsRefused() {
    WebSocketRoom room = room("lobby");
    room.getSpec().getLimits().setMaxMessageBytes(8 << 20);
    assertThat(WebSocketRoomValidator.validate(room))
        .containsExactly(
            new Violation(
                "spec.limits.bytesBurst",
                "must be at least spec.limits.maxMessageBytes (8388608), got 4194304"));
    room.getSpec().getLimits().setBytesBurst(8 << 20);
    assertThat(WebSocketRoomValidator.validate(room)).isEmpty();
  }

  @Test
  void minAboveMaxIsRefused() {
    WebSocketRoom room = room("lobby");
    room.getSpec().getOwners().setMinReplicas(3);
    room.getSpec().getOwners().setMaxReplicas(2);
    assertThat(WebSocketRoomValidator.validate(room))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("spec.owners.minReplicas");
              assertThat(v.message()).contains("must not exceed spec.owners.maxReplicas");
            });
  }

  @Test
  void malformedDurationIsRefused() {
    WebSocketRoom room = room("lobby");
    room.getSpec().getHibernation().setIdleTimeout("ten seconds");
    room.getSpec().getHibernation().setScaleToZeroAfter("5 minutes");
    room.getSpec().getLimits().setEventTimeout("30");
    assertThat(WebSocketRoomValidator.validate(room))
        .extracting(Violation::field)
        .containsExactly(
            "spec.hibernation.idleTimeout",
            "spec.hibernation.scaleToZeroAfter",
            "spec.limits.eventTimeout");
  }

  @Test
  void neverIsAValidScaleToZero() {
    WebSocketRoom room = room("lobby");
    room.getSpec().getHibernation().setScaleToZeroAfter("never");
    assertThat(WebSocketRoomValidator.validate(room)).isEmpty();
  }

  @Test
  void unknownBuiltInHandlerIsRefused() {
    WebSocketRoom room = room("lobby");
    room.getSpec().setHandler("ecko");
    assertThat(WebSocketRoomValidator.validate(room))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("spec.handler");
              assertThat(v.message()).contains("unknown built-in handler 'ecko'");
            });
  }

  @Test
  void classNameHandlerIsAccepted() {
    WebSocketRoom room = room("lobby");
    room.getSpec().setHandler("com.example.rooms.GameRoom");
    assertThat(WebSocketRoomValidator.validate(room)).isEmpty();
  }

  @Test
  void roomNameMustFitInAUrlAndALabel() {
    assertThat(WebSocketRoomValidator.validate(room("Lobby_1")))
        .extracting(Violation::field)
        .containsExactly("metadata.name");
  }

  @Test
  void autoResponseHalvesAreRefused() {
    WebSocketRoom room = room("lobby");
    room.getSpec().setAutoResponse(new AutoResponse("ping", null));
    AutoResponse binary = new AutoResponse();
    assertThat(WebSocketRoomValidator.validate(room))
        .extracting(Violation::toString)
        .containsExactly("spec.autoResponse: request and response must be set together");
    binary.setRequestBinary("not base64!");
    binary.setResponseBinary("cG9uZw==");
    room.getSpec().setAutoResponse(binary);
    assertThat(WebSocketRoomValidator.validate(room))
        .extracting(Violation::field)
        .containsExactly("spec.autoResponse.requestBinary");
  }

  @Test
  void authNeedsASecret() {
    WebSocketRoom room = room("lobby");
    room.getSpec().setAuth(new Auth());
    assertThat(WebSocketRoomValidator.validate(room))
        .extracting(Violation::toString)
        .containsExactly("spec.auth.secretRef: is required");
  }

  @Test
  void requireValidListsEveryViolation() {
    WebSocketRoom room = room("lobby");
    room.getSpec().getLimits().setMaxMessageBytes(0);
    room.getSpec().getLimits().setMaxTagsPerConnection(1000);
    assertThatThrownBy(() -> WebSocketRoomValidator.requireValid(room))
        .isInstanceOf(InvalidRoomException.class)
        .hasMessage(
            "spec.limits.maxMessageBytes: must be at least 1, got 0; "
                + "spec.limits.maxTagsPerConnection: must be at most 100, got 1000")
        .extracting(e -> ((InvalidRoomException) e).violations())
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
        .hasSize(2);
  }

  @Test
  void allowedOriginsMustBeOrigins() {
    WebSocketRoom room = room("lobby");
    room.getSpec().setAllowedOrigins(List.of("https://ok.example.com", "https://bad.example.com/"));
    assertThat(WebSocketRoomValidator.validate(room))
        .extracting(Violation::field)
        .containsExactly("spec.allowedOrigins[1]");
  }
}
