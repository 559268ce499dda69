package dev.dormouse.room;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One stored value: bytes, which may be UTF-8 text. Immutable. */
public final class StorageValue {

  private final byte[] bytes;

  private StorageValue(byte[] bytes) {
    this.bytes = bytes;
  }

  public static StorageValue ofText(String text) {
    return new StorageValue(text.getBytes(StandardCharsets.UTF_8));
  }

  public static StorageValue ofBytes(byte[] bytes) {
    return new StorageValue(bytes.clone());
  }

  /** A copy of the bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * The value as text.
   *
   * @throws IllegalStateException when the bytes are not UTF-8 text
   */
  public String text() {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException(
          "stored value of " + bytes.length + " bytes is not UTF-8 text; read it as bytes", e);
    }
  }

  /** Size in bytes: what {@code spec.limits.maxStorageValueBytes} bounds. */
  public int size() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StorageValue other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "StorageValue[" + bytes.length + " bytes]";
  }
}
