package dev.dormouse.js;

import dev.dormouse.room.RoomSocket;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** A connection as a room sees it, recording what the room did with it. */
final class FakeSocket implements RoomSocket {

  /**
   * What the room did, as the seed's transcript writes it: {@code A <- text}, {@code A <- bytes:<hex>}
   * for binary, {@code A closed 1000 "reason"}; shared by the sockets of a test, in order.
   */
  final List<String> transcript;

  private final String id;
  private volatile Object attachment;
  private volatile Set<String> tags = Set.of();

  FakeSocket(String id, List<String> transcript) {
    this.id = id;
    this.transcript = transcript;
  }

  FakeSocket(String id) {
    this(id, new CopyOnWriteArrayList<>());
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public void send(String text) {
    transcript.add(id + " <- " + text);
  }

  @Override
  public void send(byte[] bytes) {
    transcript.add(id + " <- bytes:" + java.util.HexFormat.of().formatHex(bytes));
  }

  @Override
  public void close(int code, String reason) {
    transcript.add(id + " closed " + code + " \"" + reason + "\"");
  }

  @Override
  public void serializeAttachment(Object value) {
    if (value instanceof String text && text.getBytes(StandardCharsets.UTF_8).length > 16_384) {
      throw new dev.dormouse.room.AttachmentTooLargeException(text.length(), 16_384);
    }
    attachment = value;
  }

  @Override
  public <T> T deserializeAttachment(Class<T> type) {
    return type.cast(attachment);
  }

  @Override
  public Set<String> tags() {
    return tags;
  }

  @Override
  public void setTags(Collection<String> tags) {
    this.tags = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(tags));
  }

  @Override
  public String toString() {
    return "socket " + id;
  }
}
