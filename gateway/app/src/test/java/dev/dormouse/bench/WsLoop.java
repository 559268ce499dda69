package dev.dormouse.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A selector thread serving many client WebSockets: connects, does the handshake, parses the
 * frames the server sends (unmasked) and hands each message to a {@link Listener} without copying
 * it. Small by design: a benchmark client for 10k sockets must cost far less than the server.
 */
final class WsLoop implements AutoCloseable {

  /** Called on the loop thread; {@code payload} is valid only during the call. */
  interface Listener {
    void opened(WsConnection connection);

    void failed(WsConnection connection, String why);

    void message(WsConnection connection, ByteBuffer payload, boolean text);

    void closed(WsConnection connection);
  }

  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
  private final Selector selector;
  private final Listener listener;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 << 10);
  private final Thread thread;
  private volatile boolean running = true;

  WsLoop(String name, Listener listener) throws IOException {
    this.selector = Selector.open();
    this.listener = listener;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Starts connecting; the listener hears {@code opened} or {@code failed}. As a Socket.IO client
   * if {@code socketIo}: then {@code opened} comes after the namespace connect was answered, and
   * the listener sees event arguments, not frames. From {@code source} (another loopback address,
   * e.g. 127.0.0.2), or from the address the system picks when null: each source address has its
   * own ~28k ephemeral ports, so many addresses open more sockets to one server port than one can.
   */
  WsConnection connect(int index, URI uri, boolean socketIo, InetAddress source)
      throws IOException {
    SocketChannel channel = SocketChannel.open();
    channel.configureBlocking(false);
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    if (source != null) {
      channel.bind(new InetSocketAddress(source, 0));
    }
    WsConnection connection = new WsConnection(index, channel, this, socketIo);
    tasks.add(
        () -> {
          try {
            channel.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
            channel.register(selector, SelectionKey.OP_CONNECT, new Pending(connection, uri));
          } catch (IOException e) {
            fail(connection, e.toString());
          }
        });
    selector.wakeup();
    return connection;
  }

  /** What a connection needs until its handshake is done. */
  private record Pending(WsConnection connection, URI uri) {}

  private void run() {
    while (running) {
      try {
        selector.select(100);
        for (Runnable task; (task = tasks.poll()) != null; ) {
          task.run();
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          handle(key);
        }
      } catch (IOException e) {
        System.err.println("client loop: " + e);
      }
    }
  }

  private void handle(SelectionKey key) {
    Object attachment = key.attachment();
    if (attachment instanceof Pending pending) {
      if (key.isValid() && key.isConnectable()) {
        finishConnect(key, pending);
      }
      return;
    }
    WsConnection connection = (WsConnection) attachment;
    if (!key.isValid() || !key.isReadable()) {
      return;
    }
    try {
      read(connection);
    } catch (IOException e) {
      key.cancel();
      lost(connection, e.toString());
    }
  }

  /** The connection ended: closed if the listener knew it open, else failed. */
  private void lost(WsConnection connection, String why) {
    if (connection.ready) {
      connection.close();
      listener.closed(connection);
    } else {
      fail(connection, why);
    }
  }

  private void ready(WsConnection connection) {
    connection.ready = true;
    listener.opened(connection);
  }

  private void finishConnect(SelectionKey key, Pending pending) {
    WsConnection connection = pending.connection();
    try {
      connection.channel.finishConnect();
      byte[] nonce = new byte[16];
      ThreadLocalRandom.current().nextBytes(nonce);
      URI uri = pending.uri();
      String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: "
              + uri.getHost()
              + ":"
              + uri.getPort()
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
              + Base64.getEncoder().encodeToString(nonce)
              + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
      connection.writeFully(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
      key.interestOps(SelectionKey.OP_READ);
      key.attach(connection);
    } catch (IOException e) {
      key.cancel();
      fail(connection, e.toString());
    }
  }

  private void fail(WsConnection connection, String why) {
    connection.close();
    listener.failed(connection, why);
  }

  private void read(WsConnection connection) throws IOException {
    ByteBuffer in = readBuffer.clear();
    if (connection.pending != null) {
      in.put(connection.pending);
      connection.pending = null;
    }
    if (connection.channel.read(in) < 0) {
      throw new IOException("closed by the server");
    }
    in.flip();
    if (!connection.open && !readHandshake(connection, in)) {
      return;
    }
    readFrames(connection, in);
    if (in.hasRemaining() && !connection.closed) {
      connection.pending = ByteBuffer.allocate(in.remaining()).put(in).flip();
    }
  }

  /** Consumes the HTTP response; false while it is incomplete. */
  private boolean readHandshake(WsConnection connection, ByteBuffer in) throws IOException {
    int end = indexOf(in, HEADER_END);
    if (end < 0) {
      if (in.remaining() > 16 << 10) {
        throw new IOException("handshake response too long");
      }
      connection.pending = ByteBuffer.allocate(in.remaining()).put(in).flip();
      return false;
    }
    byte[] head = new byte[Math.min(end, 64)];
    in.get(in.position(), head);
    String status = new String(head, StandardCharsets.US_ASCII);
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + status.lines().findFirst().orElse(""));
    }
    in.position(in.position() + end + HEADER_END.length);
    connection.open = true;
    if (!connection.socketIo) {
      ready(connection);
    }
    return true;
  }

  private static int indexOf(ByteBuffer in, byte[] needle) {
    outer:
    for (int i = in.position(); i <= in.limit() - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (in.get(i + j) != needle[j]) {
          continue outer;
        }
      }
      return i - in.position();
    }
    return -1;
  }

  /** Handles every complete frame in {@code in}; leaves a partial one unread. */
  private void readFrames(WsConnection connection, ByteBuffer in) throws IOException {
    while (in.remaining() >= 2 && !connection.closed) {
      int start = in.position();
      int b0 = in.get(start) & 0xff;
      int b1 = in.get(start + 1) & 0x7f;
      int header = 2;
      long length = b1;
      if (b1 == 126) {
        if (in.remaining() < 4) {
          return;
        }
        length = in.getShort(start + 2) & 0xffff;
        header = 4;
      } else if (b1 == 127) {
        if (in.remaining() < 10) {
          return;
        }
        length = in.getLong(start + 2);
        header = 10;
      }
      if (length > in.capacity() - 16) {
        throw new IOException("frame of " + length + " bytes is beyond this client");
      }
      if (in.remaining() < header + length) {
        return;
      }
      int payloadStart = start + header;
      int payloadEnd = payloadStart + (int) length;
      int opcode = b0 & 0x0f;
      ByteBuffer payload = in.duplicate().limit(payloadEnd).position(payloadStart);
      in.position(payloadEnd);
      switch (opcode) {
        case 0x0, 0x1, 0x2 -> {
          if ((b0 & 0x80) != 0) {
            connection.received++;
            if (connection.socketIo) {
              socketIoPacket(connection, payload);
            } else {
              listener.message(connection, payload, opcode == 0x1);
            }
          }
        }
        case 0x8 -> {
          connection.sendFrame(0x8, new byte[0]);
          lost(connection, "closed by the server before it was open");
        }
        case 0x9 -> {
          byte[] data = new byte[payload.remaining()];
          payload.get(data);
          connection.sendFrame(0xA, data);
        }
        default -> {
          // Pong or reserved: nothing to do.
        }
      }
    }
  }

  /**
   * One Engine.IO packet: the open is answered with the namespace connect, the connect's answer
   * makes the connection open, a ping is answered (else the server drops the socket after
   * pingInterval + pingTimeout), an event's argument goes to the listener.
   */
  private void socketIoPacket(WsConnection connection, ByteBuffer payload) throws IOException {
    switch (SocketIoFraming.kind(payload)) {
      case OPEN -> connection.sendFrame(0x1, SocketIoFraming.CONNECT);
      case CONNECTED -> ready(connection);
      case CONNECT_ERROR -> throw new IOException("Socket.IO refused the connect");
      case PING -> connection.sendFrame(0x1, SocketIoFraming.PONG);
      case EVENT -> listener.message(connection, eventArgument(payload), true);
      case OTHER -> {
        // A disconnect or noop: the server closes the TCP connection itself when it means it.
      }
    }
  }

  private static ByteBuffer eventArgument(ByteBuffer payload) throws IOException {
    try {
      return SocketIoFraming.eventArgument(payload);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (SelectionKey key : selector.keys()) {
      key.channel().close();
    }
    selector.close();
  }
}
