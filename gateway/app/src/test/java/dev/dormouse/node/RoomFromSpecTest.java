package dev.dormouse.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.runtime.HandlerResolver;
import dev.dormouse.runtime.RoomCodeFailure;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The room an owner pod serves, from the spec the operator wrote into it. */
class RoomFromSpecTest {

  @TempDir Path lib;

  HandlerResolver handlers() {
    return HandlerResolver.forLibrary(lib, getClass().getClassLoader());
  }

  @Test
  void aModuleThatFailsToLoadLeavesTheOwnerStartingAndItsRoomRefused() {
    HandlerResolver handlers = handlers();

    var settings =
        Roles.roomFromSpec(
            "default/seed",
            "{\"handler\":\"js:seed/worker.js#WebSocketHibernationServer\"}",
            handlers);

    assertThat(settings.handler()).isEqualTo("js:seed/worker.js#WebSocketHibernationServer");
    assertThatThrownBy(() -> handlers.resolve(settings.handler()))
        .isInstanceOf(RoomCodeFailure.class)
        .hasMessageContaining("seed/worker.js");
  }

  @Test
  void aHandlerClassThatIsMissingStillStopsTheStart() {
    assertThatThrownBy(
            () ->
                Roles.roomFromSpec(
                    "default/gone", "{\"handler\":\"com.example.NoSuchRoom\"}", handlers()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("com.example.NoSuchRoom is not on the classpath");
  }
}
