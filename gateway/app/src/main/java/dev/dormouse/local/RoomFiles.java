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
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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

  /**
   * The rooms a local run serves without a rooms folder, in the order it names them: the files of
   * the same names in examples/rooms, packed into the jar by the build (gateway/app/pom.xml).
   */
  public static final List<String> BUILT_IN = List.of("example", "echo", "chat");

  private static final String BUILT_IN_RESOURCES = "/dev/dormouse/local/rooms/";

  private RoomFiles() {}

  /** Reads the {@link #BUILT_IN} rooms from the jar, for a process that runs their code. */
  public static List<RoomSettings> loadBuiltIn(String namespace, HandlerResolver handlers)
      throws IOException {
    List<RoomSettings> rooms = new ArrayList<>();
    for (String name : BUILT_IN) {
      String resource = BUILT_IN_RESOURCES + name + ".yaml";
      try (InputStream in = RoomFiles.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("built-in room " + resource + " is missing from the jar");
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        rooms.addAll(
            parseAll(Path.of("built-in", name + ".yaml"), text, namespace, handlers::check));
      }
    }
    return rooms;
  }

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
      rooms.addAll(parseAll(file, Files.readString(file), namespace, handlerCheck));
    }
    return rooms;
  }

  private static List<RoomSettings> parseAll(
      Path file, String text, String namespace, Consumer<String> handlerCheck) {
    List<RoomSettings> rooms = new ArrayList<>();
    for (String document : DOCUMENT_SEPARATOR.split(text)) {
      if (!document.isBlank()) {
        rooms.add(parse(file, document, namespace, handlerCheck));
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
