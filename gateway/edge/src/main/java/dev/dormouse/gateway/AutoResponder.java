package dev.dormouse.gateway;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers auto-response requests at the gateway, so a hibernated room is never woken for them: the
 * pair declared in the room's spec, and the pair the room code set (which wins for text).
 */
final class AutoResponder {

  private final ConcurrentHashMap<RoomKey, OutboundMessagePair> roomPairs =
      new ConcurrentHashMap<>();

  private record OutboundMessagePair(String request, OutboundMessage response) {}

  void roomSet(RoomKey key, Optional<AutoResponsePair> pair) {
    if (pair.isPresent()) {
      roomPairs.put(
          key,
          new OutboundMessagePair(
              pair.get().request(), OutboundMessage.text(pair.get().response())));
    } else {
      roomPairs.remove(key);
    }
  }

  /** The gateway holds no more sockets of the instance: nothing to answer for it. */
  void forget(RoomKey key) {
    roomPairs.remove(key);
  }

  Optional<OutboundMessage> answerText(RoomKey key, RoomSettings settings, String text) {
    OutboundMessagePair pair = roomPairs.get(key);
    if (pair != null && pair.request().equals(text)) {
      return Optional.of(pair.response());
    }
    if (settings.autoRequest().isPresent() && settings.autoRequest().get().equals(text)) {
      return settings.autoResponse().map(OutboundMessage::text);
    }
    return Optional.empty();
  }

  Optional<OutboundMessage> answerBinary(RoomSettings settings, ByteBuffer bytes) {
    if (settings.autoRequestBinary().isPresent()
        && settings.autoRequestBinary().get().equals(bytes)) {
      return settings.autoResponseBinary().map(b -> new OutboundMessage(false, b));
    }
    return Optional.empty();
  }
}
