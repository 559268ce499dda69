package dev.dormouse.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Client-to-server WebSocket frames as bytes, well-formed or broken on purpose: what a test feeds
 * the gateway's parser directly or writes on a raw socket.
 */
public final class ClientFrames {

  public static final int CONTINUATION = 0;
  public static final int TEXT = 1;
  public static final int BINARY = 2;
  public static final int CLOSE = 8;
  public static final int PING = 9;
  public static final int PONG = 10;
  private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

  private ClientFrames() {}

  /** A final, masked frame with its length in the shortest form. */
  public static byte[] frame(int opcode, byte[] payload) {
    return frame(true, opcode, payload);
  }

  public static byte[] frame(boolean fin, int opcode, byte[] payload) {
    return encode(firstByte(fin, opcode), true, shortestLength(payload.length), payload);
  }

  /** Only the header (mask key included) of a frame declaring {@code length} payload bytes. */
  public static byte[] header(boolean fin, int opcode, long length) {
    return encode(firstByte(fin, opcode), true, shortestLength(length), new byte[0]);
  }

  /**
   * Only the header of a final frame whose length field is {@code 127} followed by these 8 bytes,
   * as given (a top bit set, or a small length in the long form).
   */
  public static byte[] headerWithLongLength(int opcode, long length) {
    return encode(
        firstByte(true, opcode),
        true,
        ByteBuffer.allocate(9).put((byte) 127).putLong(length).array(),
        new byte[0]);
  }

  /** A final frame with its length in the 16-bit form whatever the size (non-minimal below 126). */
  public static byte[] withShortLengthForm(int opcode, byte[] payload) {
    return encode(
        firstByte(true, opcode),
        true,
        ByteBuffer.allocate(3).put((byte) 126).putShort((short) payload.length).array(),
        payload);
  }

  /** A frame with any first byte (FIN, RSV bits, opcode), masked or not. */
  public static byte[] custom(int firstByte, boolean masked, byte[] payload) {
    return encode(firstByte, masked, shortestLength(payload.length), payload);
  }

  /** A close frame's payload: the code, then the reason's bytes. */
  public static byte[] closePayload(int code, byte[] reason) {
    return ByteBuffer.allocate(2 + reason.length).putShort((short) code).put(reason).array();
  }

  private static int firstByte(boolean fin, int opcode) {
    return (fin ? 0x80 : 0) | opcode;
  }

  private static byte[] shortestLength(long length) {
    if (length < 126) {
      return new byte[] {(byte) length};
    }
    if (length <= 0xffff) {
      return ByteBuffer.allocate(3).put((byte) 126).putShort((short) length).array();
    }
    return ByteBuffer.allocate(9).put((byte) 127).putLong(length).array();
  }

  private static byte[] encode(int firstByte, boolean masked, byte[] length, byte[] payload) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(firstByte);
    length[0] = (byte) ((masked ? 0x80 : 0) | length[0]);
    frame.writeBytes(length);
    if (masked) {
      frame.writeBytes(MASK);
    }
    for (int i = 0; i < payload.length; i++) {
      frame.write(masked ? payload[i] ^ MASK[i % 4] : payload[i]);
    }
    return frame.toByteArray();
  }
}
