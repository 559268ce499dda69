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
 * invalid UTF-8, close frames without a code, odd methods, broken frames and handshakes.
 */
public final class RawWebSocket implements AutoCloseable {

  /** A frame the server sent. */
  public record Frame(int opcode, byte[] payload) {
    public int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }

    public String text() {
      return new String(
          opcode == 8 && payload.length >= 2
              ? java.util.Arrays.copyOfRange(payload, 2, payload.length)
              : payload,
          StandardCharsets.UTF_8);
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

  public static RawWebSocket open(InetSocketAddress address, String method, String path)
      throws IOException {
    return open(address, method, path, "");
  }

  /** Opens with extra request header lines, each ending in CRLF. */
  public static RawWebSocket open(
      InetSocketAddress address, String method, String path, String extraHeaders)
      throws IOException {
    return exchange(
        address,
        request(method, path, "HTTP/1.1", upgradeHeaders(randomKey(), "13") + extraHeaders));
  }

  /** Sends a request head exactly as given and reads the response head. */
  public static RawWebSocket exchange(InetSocketAddress address, String requestHead)
      throws IOException {
    return exchange(address, requestHead.getBytes(StandardCharsets.US_ASCII));
  }

  /** Sends these bytes in one write (a request head, perhaps frames after it) and reads the response head. */
  public static RawWebSocket exchange(InetSocketAddress address, byte[] request)
      throws IOException {
    Socket socket = connect(address);
    socket.getOutputStream().write(request);
    String status = readHead(socket.getInputStream());
    return new RawWebSocket(socket, status);
  }

  /** A TCP connection to the gateway that has sent nothing yet. */
  public static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    // A small window, so a client that stops reading is felt by the server soon, not after
    // megabytes.
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", address.getPort()));
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** A request head: request line, Host, the given header lines (each ending in CRLF), blank line. */
  public static String request(String method, String path, String httpVersion, String headers) {
    return method + " " + path + " " + httpVersion + "\r\nHost: localhost\r\n" + headers + "\r\n";
  }

  /** The upgrade's header lines with this key and version. */
  public static String upgradeHeaders(String key, String version) {
    return "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
        + key
        + "\r\n"
        + "Sec-WebSocket-Version: "
        + version
        + "\r\n";
  }

  public static String randomKey() {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
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
    return statusLine
        .lines()
        .filter(
            l ->
                l.toLowerCase(java.util.Locale.ROOT)
                    .startsWith(name.toLowerCase(java.util.Locale.ROOT) + ":"))
        .map(l -> l.substring(l.indexOf(':') + 1).trim())
        .findFirst()
        .orElse(null);
  }

  public void sendFrame(int opcode, byte[] payload) throws IOException {
    send(ClientFrames.frame(opcode, payload));
  }

  /** Writes bytes as they are: frames built with {@link ClientFrames}, broken or not. */
  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
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

  /** The response body, as long as its Content-Length says. */
  public String body() throws IOException {
    String length = header("Content-Length");
    return length == null
        ? ""
        : new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
  }

  /** True when the server has closed the TCP connection (reading ends, or is reset). */
  public boolean serverClosedConnection() throws IOException {
    return closedByServer(socket);
  }

  /** Whether the server closed this connection: waits for it, for the socket's read timeout at most. */
  public static boolean closedByServer(Socket socket) throws IOException {
    try {
      InputStream stream = socket.getInputStream();
      while (stream.read() != -1) {
        // what the server sent before closing is not the point here
      }
      return true;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  public Socket socket() {
    return socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
