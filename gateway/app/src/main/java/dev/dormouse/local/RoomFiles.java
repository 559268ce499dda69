package dev.dormouse.local;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.crd.v1alpha1.InvalidRoomException;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.runtime.HandlerResolver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads WebSocketRoom manifests — the same files {@code kubectl apply} takes — from a folder for the
 * local run. A bad file stops the start with a message naming the file and the field.
 */
public final class RoomFiles {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
  private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
  private static final String API_VERSION = WebSocketRoom.GROUP + "/" + WebSocketRoom.VERSION;

  /** A room file that cannot be served; the message starts with the file. */
  public static final class BadRoomFileException extends RuntimeException {
    BadRoomFileException(Path file, String problem) {
      super(file + ": " + problem);
    }
  }

  private RoomFiles() {}

  /** Reads rooms for a process that runs their code: each handler must resolve. */
  public static List<RoomSettings> load(Path dir, String namespace, HandlerResolver handlers)
      throws IOException {
    return load(dir, namespace, handlers::check);
  }

  /** Reads rooms for a gateway, which never runs room code and need not have its classes. */
  public static List<RoomSettings> load(Path dir, String namespace) throws IOException {
    return load(dir, namespace, handler -> {});
  }

  private static List<RoomSettings> load(Path dir, String namespace, Consumer<String> handlerCheck)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("rooms folder " + dir + " does not exist");
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    List<RoomSettings> rooms = new ArrayList<>();
    for (Path file : files) {
      for (String document : DOCUMENT_SEPARATOR.split(Files.readString(file))) {
        if (!document.isBlank()) {
          rooms.add(parse(file, document, namespace, handlerCheck));
        }
      }
    }
    return rooms;
  }

  static RoomSettings parse(
      Path file, String document, String namespace, Consumer<String> handlerCheck) {
    WebSocketRoom room;
    try {
      JsonNode tree = YAML.readTree(document);
      // The model reports its own kind whatever the file says, so check the file itself.
      String kind = tree.path("kind").asText();
      String apiVersion = tree.path("apiVersion").asText();
      if (!"WebSocketRoom".equals(kind) || !API_VERSION.equals(apiVersion)) {
        throw new BadRoomFileException(
            file,
            "expected kind WebSocketRoom, apiVersion "
                + API_VERSION
                + ", got "
                + kind
                + " "
                + apiVersion);
      }
      room = YAML.treeToValue(tree, WebSocketRoom.class);
    } catch (JsonMappingException e) {
      throw new BadRoomFileException(file, fieldPath(e) + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new BadRoomFileException(file, "not YAML: " + e.getMessage());
    }
    if (room.getMetadata() != null && room.getMetadata().getNamespace() == null) {
      room.getMetadata().setNamespace(namespace);
    }
    try {
      RoomSettings settings = RoomSettings.of(room);
      handlerCheck.accept(settings.handler());
      return settings;
    } catch (InvalidRoomException | IllegalArgumentException e) {
      throw new BadRoomFileException(file, e.getMessage());
    }
  }

  private static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "document" : path.toString();
  }
}
