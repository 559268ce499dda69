package dev.dormouse.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublishRouteTest {

  @Test
  void aRoomWithInstancesTakesTheInstanceAfterTheRoom() {
    assertThat(PublishRoute.roomOf("/v1/rooms/chat/lobby/messages")).contains("chat");
    assertThat(PublishRoute.parse("/v1/rooms/chat/lobby/messages", true))
        .contains(new PublishRoute("chat", "lobby", "messages", ""));
    // An instance may be named like an action.
    assertThat(PublishRoute.parse("/v1/rooms/chat/messages/messages", true))
        .contains(new PublishRoute("chat", "messages", "messages", ""));
  }

  @Test
  void aRoomWithoutInstancesTakesTheActionAfterTheRoom() {
    assertThat(PublishRoute.parse("/v1/rooms/echo/messages", false))
        .contains(new PublishRoute("echo", "", "messages", ""));
    assertThat(PublishRoute.parse("/v1/rooms/echo/lobby/messages", false))
        .contains(new PublishRoute("echo", "", "lobby", "messages"));
  }

  @Test
  void whatFollowsTheActionIsKeptForActionsThatTakeAPath() {
    assertThat(PublishRoute.parse("/v1/rooms/chat/lobby/requests/a/b/", true))
        .contains(new PublishRoute("chat", "lobby", "requests", "a/b/"));
  }

  @Test
  void missingOrEmptySegmentsAreNoRoute() {
    assertThat(PublishRoute.roomOf("/v1/rooms/")).isEmpty();
    assertThat(PublishRoute.roomOf("/v1/rooms")).isEmpty();
    assertThat(PublishRoute.roomOf("/v2/rooms/chat/lobby/messages")).isEmpty();
    assertThat(PublishRoute.roomOf("/rooms/chat/lobby")).isEmpty();
    assertThat(PublishRoute.parse("/v1/rooms/chat/lobby", true)).isEmpty();
    assertThat(PublishRoute.parse("/v1/rooms/chat//messages", true)).isEmpty();
    assertThat(PublishRoute.parse("/v1/rooms/chat/lobby/", true)).isEmpty();
    assertThat(PublishRoute.parse("/v1/rooms/echo", false)).isEqualTo(Optional.empty());
    assertThat(PublishRoute.parse("/v1/rooms//messages", false)).isEmpty();
  }
}
