package dev.dormouse.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One client WebSocket of the load client: a non-blocking channel read by its {@link WsLoop}.
 * Writes happen on the caller's thread (the pacer of the echo scenario) under the connection's
 * lock; a full socket buffer is waited out, which on loopback with small frames hardly happens.
 */
final class WsConnection {

  private static final long WRITE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  final int index;
  final SocketChannel channel;
  final WsLoop loop;

  /** Speaks Socket.IO over this WebSocket ({@link SocketIoFraming}): events out, events in. */
  final boolean socketIo;

  /** Bytes of an unfinished handshake response or frame, carried to the next read; usually null. */
  ByteBuffer pending;

  boolean open;

  /** The listener was told it opened: the upgrade, and for Socket.IO also the connect answer. */
  boolean ready;

  boolean closed;

  /** Messages received; touched only by the loop thread. */
  int received;

  private final ByteBuffer frame = ByteBuffer.allocate(14 + 1024);

  WsConnection(int index, SocketChannel channel, WsLoop loop, boolean socketIo) {
    this.index = index;
    this.channel = channel;
    this.loop = loop;
    this.socketIo = socketIo;
  }

  /** Sends the text as a text message, or on a Socket.IO connection as a "message" event. */
  void sendText(String text) throws IOException {
    sendFrame(
        0x1,
        socketIo ? SocketIoFraming.event("message", text) : text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes one masked, final frame (RFC 6455 §5.2), as a client must. */
  synchronized void sendFrame(int opcode, byte[] payload) throws IOException {
    ByteBuffer out =
        payload.length <= 1024 ? frame.clear() : ByteBuffer.allocate(14 + payload.length);
    out.put((byte) (0x80 | opcode));
    if (payload.length < 126) {
      out.put((byte) (0x80 | payload.length));
    } else if (payload.length < 65536) {
      out.put((byte) (0x80 | 126)).putShort((short) payload.length);
    } else {
      out.put((byte) (0x80 | 127)).putLong(payload.length);
    }
    int mask = ThreadLocalRandom.current().nextInt();
    out.putInt(mask);
    byte[] key = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    for (int i = 0; i < payload.length; i++) {
      out.put((byte) (payload[i] ^ key[i & 3]));
    }
    out.flip();
    writeFully(out);
  }

  synchronized void writeFully(ByteBuffer out) throws IOException {
    long deadline = System.nanoTime() + WRITE_TIMEOUT_NANOS;
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        if (System.nanoTime() > deadline) {
          throw new IOException("socket buffer stayed full for 10 s");
        }
        LockSupport.parkNanos(50_000);
      }
    }
  }

  void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing a benchmark socket: nothing to do about it.
    }
  }
}
