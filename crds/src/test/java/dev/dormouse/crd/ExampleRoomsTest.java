package dev.dormouse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The rooms shipped in examples/rooms are what both kubectl and the local run read. */
class ExampleRoomsTest {

  static List<Path> exampleFiles() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("../examples/rooms"))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  void everyExampleRoomParsesAndIsValid() throws IOException {
    List<Path> files = exampleFiles();
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("example.yaml", "echo.yaml", "chat.yaml");
    for (Path file : files) {
      WebSocketRoom room = Serialization.unmarshal(Files.readString(file), WebSocketRoom.class);
      assertThat(room.getMetadata().getName()).as(file.toString()).isNotBlank();
      assertThat(WebSocketRoomValidator.validate(room)).as(file.toString()).isEmpty();
    }
  }

  @Test
  void fieldsLeftOutTakeTheSchemaDefaults() throws IOException {
    WebSocketRoom example =
        Serialization.unmarshal(
            Files.readString(Path.of("../examples/rooms/example.yaml")), WebSocketRoom.class);
    assertThat(example.getSpec().getHandler()).isEqualTo("example");
    assertThat(example.getSpec().getLimits().getMaxConnections()).isEqualTo(32768);
    assertThat(example.getSpec().getOwners().getMinReplicas()).isZero();
  }

  @Test
  void chatServesInstancesWithOwnerResources() throws IOException {
    WebSocketRoom chat =
        Serialization.unmarshal(
            Files.readString(Path.of("../examples/rooms/chat.yaml")), WebSocketRoom.class);
    assertThat(chat.getSpec().getHandler()).isEqualTo("chat");
    assertThat(chat.getSpec().getInstances()).isTrue();
    assertThat(chat.getSpec().getOwners().getMaxReplicas()).isEqualTo(3);
    assertThat(chat.getSpec().getOwners().getResources().getRequests()).containsKey("cpu");
  }
}
