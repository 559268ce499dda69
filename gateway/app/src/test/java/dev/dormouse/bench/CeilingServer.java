package dev.dormouse.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ceiling of issue 15: the least a WebSocket broadcast server can do on Netty. Each text
 * message from any socket becomes ONE server frame in one buffer, written to every open socket as a
 * retained duplicate and flushed once per socket. No rooms, no routing, no limits, no queues of its
 * own. Runs as its own JVM ({@link CeilingProcess}): prints {@code port=N}, then answers each
 * {@code cpu} line on stdin with its process CPU nanoseconds, and exits when stdin closes.
 */
public final class CeilingServer {

  private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private CeilingServer() {}

  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    Map<EventLoop, Set<Channel>> sockets = new ConcurrentHashMap<>();
    EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    EventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    Channel listener =
        new ServerBootstrap()
            .group(boss, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    channel.pipeline().addLast(new Socket(sockets));
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    System.out.println("port=" + ((InetSocketAddress) listener.localAddress()).getPort());
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      if (line.equals("cpu")) {
        System.out.println("cpuNs=" + LoadClient.processCpuNanos());
        System.out.flush();
      }
    }
    // The parent is gone: nothing may keep this JVM alive.
    System.exit(0);
  }

  /** One socket: the upgrade, then masked client frames; every text frame is broadcast. */
  private static final class Socket extends ByteToMessageDecoder {

    private final Map<EventLoop, Set<Channel>> sockets;
    private boolean upgraded;

    Socket(Map<EventLoop, Set<Channel>> sockets) {
      this.sockets = sockets;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
        throws Exception {
      if (!upgraded && !upgrade(ctx, in)) {
        return;
      }
      while (in.readableBytes() >= 2) {
        int start = in.readerIndex();
        int opcode = in.getByte(start) & 0x0f;
        int length = in.getByte(start + 1) & 0x7f;
        int header = 2;
        if (length == 126) {
          header = 4;
          length = in.readableBytes() >= 4 ? in.getUnsignedShort(start + 2) : Integer.MAX_VALUE;
        } else if (length == 127) {
          header = 10;
          length = in.readableBytes() >= 10 ? (int) in.getLong(start + 2) : Integer.MAX_VALUE;
        }
        // Client frames are masked (RFC 6455 §5.3): a 4-byte key follows the length.
        if (length == Integer.MAX_VALUE || in.readableBytes() < header + 4 + length) {
          return;
        }
        int mask = in.getInt(start + header);
        int payload = start + header + 4;
        in.readerIndex(payload + length);
        if (opcode == 0x8) {
          ctx.close();
          return;
        }
        if (opcode == 0x1 && length > 0xffff) {
          ctx.close(); // beyond the 16-bit length the frames here are built with: not a benchmark's
          return;
        }
        if (opcode == 0x1) {
          broadcast(ctx, in, payload, length, mask);
        }
      }
    }

    /** One frame, one buffer: every socket gets a duplicate of it, flushed at once. */
    private void broadcast(ChannelHandlerContext ctx, ByteBuf in, int from, int length, int mask) {
      ByteBuf frame = ctx.alloc().directBuffer(4 + length);
      frame.writeByte(0x81);
      if (length < 126) {
        frame.writeByte(length);
      } else {
        frame.writeByte(126).writeShort(length);
      }
      for (int i = 0; i < length; i++) {
        frame.writeByte(in.getByte(from + i) ^ (mask >>> (24 - 8 * (i & 3))));
      }
      // One task per event loop, not one per socket: each loop writes to its own sockets.
      for (Map.Entry<EventLoop, Set<Channel>> loop : sockets.entrySet()) {
        ByteBuf shared = frame.retain();
        loop.getKey()
            .execute(
                () -> {
                  for (Channel socket : loop.getValue()) {
                    socket.writeAndFlush(shared.retainedDuplicate(), socket.voidPromise());
                  }
                  shared.release();
                });
      }
      frame.release();
    }

    /** Answers the upgrade request once its headers are in; false while they are incomplete. */
    private boolean upgrade(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
      int end = ByteBufUtil.indexOf(Unpooled.wrappedBuffer(HEADER_END), in);
      if (end < 0) {
        return false;
      }
      String request =
          in.readCharSequence(end - in.readerIndex(), StandardCharsets.US_ASCII).toString();
      in.skipBytes(HEADER_END.length);
      String key =
          request
              .lines()
              .filter(line -> line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:"))
              .map(line -> line.substring(line.indexOf(':') + 1).trim())
              .findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no Sec-WebSocket-Key"));
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      String response =
          "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: "
              + Base64.getEncoder().encodeToString(digest)
              + "\r\n\r\n";
      ctx.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.US_ASCII));
      Channel channel = ctx.channel();
      Set<Channel> own =
          sockets.computeIfAbsent(channel.eventLoop(), loop -> ConcurrentHashMap.newKeySet());
      own.add(channel);
      channel.closeFuture().addListener(closed -> own.remove(channel));
      upgraded = true;
      return true;
    }
  }
}
