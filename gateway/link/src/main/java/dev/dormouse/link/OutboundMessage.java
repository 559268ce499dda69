package dev.dormouse.link;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A message on its way to clients: encoded once, then shared read-only by every send. */
public record OutboundMessage(boolean text, ByteBuffer payload) {

  public OutboundMessage {
    payload = payload.asReadOnlyBuffer();
  }

  public static OutboundMessage text(String text) {
    return new OutboundMessage(true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
  }

  public static OutboundMessage binary(byte[] bytes) {
    return new OutboundMessage(false, ByteBuffer.wrap(bytes));
  }

  /** A fresh view for one send: own position and limit, same bytes. */
  public ByteBuffer view() {
    return payload.duplicate();
  }

  public int size() {
    return payload.remaining();
  }
}
