package dev.dormouse.room;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A client message: text, or binary bytes. */
public final class Message {

  private final String text;
  private final byte[] bytes;

  private Message(String text, byte[] bytes) {
    this.text = text;
    this.bytes = bytes;
  }

  public static Message text(String text) {
    return new Message(Objects.requireNonNull(text), null);
  }

  public static Message binary(byte[] bytes) {
    return new Message(null, Objects.requireNonNull(bytes));
  }

  public boolean isText() {
    return text != null;
  }

  /** The text of a text message; throws for binary ones. */
  public String text() {
    if (text == null) {
      throw new IllegalStateException("binary message");
    }
    return text;
  }

  /** The bytes of a binary message, or the UTF-8 bytes of a text message. */
  public byte[] bytes() {
    return bytes != null ? bytes.clone() : text.getBytes(StandardCharsets.UTF_8);
  }

  /** A read-only view of the bytes, without copying. */
  public ByteBuffer buffer() {
    return bytes != null
        ? ByteBuffer.wrap(bytes).asReadOnlyBuffer()
        : ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer();
  }

  public int size() {
    return bytes != null ? bytes.length : text.length();
  }

  @Override
  public String toString() {
    return isText() ? "text(" + text.length() + " chars)" : "binary(" + bytes.length + " bytes)";
  }
}
