package dev.dormouse.room;

import java.util.Collection;
import java.util.Set;

/**
 * One client connection as the room sees it. The socket itself lives at a gateway; this object is
 * valid for the current activation, and equal sockets across events are the same object.
 */
public interface RoomSocket {

  String id();

  void send(String text);

  void send(byte[] bytes);

  /** Closes the connection; codes 1005 and 1006 send a close frame without a code. */
  void close(int code, String reason);

  /**
   * Stores a value with the connection (as JSON) so it survives hibernation; {@code null} removes it.
   *
   * @throws AttachmentTooLargeException when the JSON exceeds the room's maxAttachmentBytes
   */
  void serializeAttachment(Object value);

  /** The stored attachment read as {@code type}, or {@code null} when there is none. */
  <T> T deserializeAttachment(Class<T> type);

  Set<String> tags();

  /**
   * Replaces the connection's tags.
   *
   * @throws IllegalArgumentException when the tags break the room's tag limits
   */
  void setTags(Collection<String> tags);
}
