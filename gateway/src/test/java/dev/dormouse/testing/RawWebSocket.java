package dev.dormouse.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A hand-rolled WebSocket client over a plain socket, for what well-behaved clients cannot send:
 * invalid UTF-8, close frames without a code, odd methods.
 */
public final class RawWebSocket implements AutoCloseable {

  /** A frame the server sent. */
  public record Frame(int opcode, byte[] payload) {
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }

    public String text() {
      return new String(opcode == 8 && payload.length >= 2
          ? java.util.Arrays.copyOfRange(payload, 2, payload.length) : payload, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String statusLine;

  private RawWebSocket(Socket socket, String statusLine) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.statusLine = statusLine;
  }

  public static RawWebSocket open(InetSocketAddress address, String method, String path) throws IOException {
    return open(address, method, path, "");
  }

  /** Opens with extra request header lines, each ending in CRLF. */
  public static RawWebSocket open(InetSocketAddress address, String method, String path, String extraHeaders)
      throws IOException {
    Socket socket = new Socket();
    // A small window, so a client that stops reading is felt by the server soon, not after megabytes.
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()));
    socket.setSoTimeout(10_000);
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request = method + " " + path + " HTTP/1.1\r\n"
        + "Host: localhost\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n" + extraHeaders + "\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    String status = readHead(socket.getInputStream());
    return new RawWebSocket(socket, status);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** The HTTP status of the upgrade response. */
  public int status() {
    return Integer.parseInt(statusLine.lines().findFirst().orElse("").split(" ")[1]);
  }

  /** A response header's value, or null. */
  public String header(String name) {
    return statusLine.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith(name.toLowerCase(
        java.util.Locale.ROOT) + ":")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
  }

  public void sendFrame(int opcode, byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | opcode);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    out.write(frame.toByteArray());
    out.flush();
  }

  public void sendText(byte[] utf8) throws IOException {
    sendFrame(1, utf8);
  }

  /** A close frame with no status code at all. */
  public void sendEmptyClose() throws IOException {
    sendFrame(8, new byte[0]);
  }

  public Frame readFrame() throws IOException {
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7f;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    byte[] payload = new byte[(int) length];
    in.readFully(payload);
    return new Frame(first & 0x0f, payload);
  }

  /** Reads frames until a close frame, which it returns. */
  public Frame readUntilClose() throws IOException {
    Frame frame;
    do {
      frame = readFrame();
    } while (frame.opcode() != 8);
    return frame;
  }

  /** True when the server has closed the TCP connection. */
  public boolean serverClosedConnection() throws IOException {
    return in.read() == -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
