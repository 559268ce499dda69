package dev.dormouse.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import dev.dormouse.runtime.HandlerResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomFilesTest {

  static final HandlerResolver HANDLERS =
      HandlerResolver.forLibrary(Path.of("no-room-library"), RoomFilesTest.class.getClassLoader());
  static final String HEAD =
      "apiVersion: dormouse.dev/v1alpha1\nkind: WebSocketRoom\nmetadata:\n  name: lobby\n";

  @TempDir Path dir;

  List<RoomSettings> load(String yaml) throws IOException {
    Files.writeString(dir.resolve("lobby.yaml"), yaml);
    return RoomFiles.load(dir, "default", HANDLERS);
  }

  @Test
  void theBuiltInRoomsAreTheExampleFilesOfTheirNames() throws IOException {
    List<RoomSettings> builtIn = RoomFiles.loadBuiltIn("default", HANDLERS);
    assertThat(builtIn).extracting(RoomSettings::name).containsExactly("example", "echo", "chat");
    assertThat(builtIn)
        .extracting(RoomSettings::handler)
        .containsExactlyInAnyOrderElementsOf(WebSocketRoomSpec.BUILT_IN_HANDLERS);
    List<RoomSettings> files = RoomFiles.load(Path.of("../../examples/rooms"), "default", HANDLERS);
    for (RoomSettings room : builtIn) {
      assertThat(files).as("examples/rooms/%s.yaml", room.name()).contains(room);
    }
  }

  @Test
  void readsTheShippedExamples() throws IOException {
    List<RoomSettings> rooms = RoomFiles.load(Path.of("../../examples/rooms"), "default", HANDLERS);
    assertThat(rooms)
        .extracting(RoomSettings::name)
        .containsExactly(
            "chat-js", "chat", "counter", "echo", "example", "notes", "reminder", "seed", "tally");
    RoomSettings example = rooms.get(4);
    assertThat(example.idleTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(example.maxConnections()).isEqualTo(32768);
    assertThat(example.maxStorageValueBytes()).isEqualTo(128 * 1024);
    assertThat(example.namespace()).isEqualTo("default");
    assertThat(rooms.get(5).maxStorageValueBytes()).isEqualTo(64 * 1024);
  }

  @Test
  void severalRoomsInOneFile() throws IOException {
    assertThat(
            load(
                HEAD
                    + "spec: {}\n---\n"
                    + HEAD.replace("lobby", "hall")
                    + "spec:\n  handler: echo\n"))
        .extracting(RoomSettings::name)
        .containsExactly("lobby", "hall");
  }

  @Test
  void invalidValueNamesFileAndField() {
    assertThatThrownBy(() -> load(HEAD + "spec:\n  limits:\n    maxConnections: -1\n"))
        .isInstanceOf(RoomFiles.BadRoomFileException.class)
        .hasMessageStartingWith(dir.resolve("lobby.yaml").toString())
        .hasMessageContaining("spec.limits.maxConnections: must be at least 1, got -1");
  }

  @Test
  void misspelledFieldIsNotSilentlyIgnored() {
    assertThatThrownBy(() -> load(HEAD + "spec:\n  limts:\n    maxConnections: 5\n"))
        .hasMessageContaining("lobby.yaml: spec.limts: Unrecognized field \"limts\"");
  }

  @Test
  void wrongKindIsRefused() {
    assertThatThrownBy(() -> load(HEAD.replace("WebSocketRoom", "ConfigMap") + "spec: {}\n"))
        .hasMessageContaining("expected kind WebSocketRoom");
  }

  @Test
  void missingHandlerClassIsRefusedAtLoad() {
    assertThatThrownBy(() -> load(HEAD + "spec:\n  handler: com.example.NoSuchRoom\n"))
        .hasMessageContaining("spec.handler: class com.example.NoSuchRoom is not on the classpath");
  }

  @Test
  void classThatIsNotARoomIsRefused() {
    assertThatThrownBy(() -> load(HEAD + "spec:\n  handler: java.lang.String\n"))
        .hasMessageContaining("does not implement dev.dormouse.room.Room");
  }

  @Test
  void malformedYamlIsRefused() {
    assertThatThrownBy(() -> load(HEAD + "spec: [unclosed\n")).hasMessageContaining("lobby.yaml");
  }
}
