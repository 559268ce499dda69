package dev.dormouse.config;

import dev.dormouse.crd.v1alpha1.Auth;
import dev.dormouse.crd.v1alpha1.AutoResponse;
import dev.dormouse.crd.v1alpha1.Durations;
import dev.dormouse.crd.v1alpha1.Hibernation;
import dev.dormouse.crd.v1alpha1.Limits;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import dev.dormouse.crd.v1alpha1.WebSocketRoomValidator;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A room's settings with every default applied and every duration parsed: what the gateway and the
 * runtime act on. Built only from a valid room.
 */
public record RoomSettings(
    String namespace,
    String name,
    String handler,
    boolean instances,
    Duration idleTimeout,
    Duration eventTimeout,
    int maxConnections,
    int maxMessageBytes,
    int maxAttachmentBytes,
    int maxTagsPerConnection,
    int maxTagBytes,
    int wakeBufferMessages,
    int messagesPerSecond,
    int messagesBurst,
    int bytesPerSecond,
    int bytesBurst,
    int maxStorageValueBytes,
    List<String> allowedOrigins,
    Optional<Auth> auth,
    Optional<String> autoRequest,
    Optional<String> autoResponse,
    Optional<ByteBuffer> autoRequestBinary,
    Optional<ByteBuffer> autoResponseBinary,
    Map<String, String> env) {

  public static RoomSettings of(WebSocketRoom room) {
    WebSocketRoomValidator.requireValid(room);
    WebSocketRoomSpec spec = room.getSpec();
    Limits defaults = new Limits();
    Limits limits = orDefault(spec.getLimits(), defaults);
    Hibernation hibernation = orDefault(spec.getHibernation(), new Hibernation());
    AutoResponse auto = spec.getAutoResponse();
    String namespace = room.getMetadata().getNamespace();
    return new RoomSettings(
        namespace == null || namespace.isEmpty() ? "default" : namespace,
        room.getMetadata().getName(),
        orDefault(spec.getHandler(), WebSocketRoomSpec.DEFAULT_HANDLER),
        Boolean.TRUE.equals(spec.getInstances()),
        Durations.parse(orDefault(hibernation.getIdleTimeout(), Hibernation.DEFAULT_IDLE_TIMEOUT)),
        Durations.parse(orDefault(limits.getEventTimeout(), defaults.getEventTimeout())),
        orDefault(limits.getMaxConnections(), defaults.getMaxConnections()),
        orDefault(limits.getMaxMessageBytes(), defaults.getMaxMessageBytes()),
        orDefault(limits.getMaxAttachmentBytes(), defaults.getMaxAttachmentBytes()),
        orDefault(limits.getMaxTagsPerConnection(), defaults.getMaxTagsPerConnection()),
        orDefault(limits.getMaxTagBytes(), defaults.getMaxTagBytes()),
        orDefault(limits.getWakeBufferMessages(), defaults.getWakeBufferMessages()),
        orDefault(limits.getMessagesPerSecond(), defaults.getMessagesPerSecond()),
        orDefault(limits.getMessagesBurst(), defaults.getMessagesBurst()),
        orDefault(limits.getBytesPerSecond(), defaults.getBytesPerSecond()),
        orDefault(limits.getBytesBurst(), defaults.getBytesBurst()),
        orDefault(limits.getMaxStorageValueBytes(), defaults.getMaxStorageValueBytes()),
        spec.getAllowedOrigins() == null ? List.of() : List.copyOf(spec.getAllowedOrigins()),
        Optional.ofNullable(spec.getAuth()),
        Optional.ofNullable(auto).map(AutoResponse::getRequest),
        Optional.ofNullable(auto).map(AutoResponse::getResponse),
        Optional.ofNullable(auto).map(AutoResponse::getRequestBinary).map(RoomSettings::decode),
        Optional.ofNullable(auto).map(AutoResponse::getResponseBinary).map(RoomSettings::decode),
        spec.getEnv() == null ? Map.of() : Map.copyOf(spec.getEnv()));
  }

  private static ByteBuffer decode(String base64) {
    return ByteBuffer.wrap(Base64.getDecoder().decode(base64)).asReadOnlyBuffer();
  }

  private static <T> T orDefault(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** {@code namespace/name}. */
  public String path() {
    return namespace + "/" + name;
  }
}
