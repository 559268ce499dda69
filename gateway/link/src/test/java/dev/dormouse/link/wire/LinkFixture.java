package dev.dormouse.link.wire;

import static org.awaitility.Awaitility.await;

import dev.dormouse.link.RoomEvent;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Real links on 127.0.0.1 over one small event loop group, as a process would run them; closes all it made. */
final class LinkFixture implements AutoCloseable {

  static final byte[] SECRET = "a secret both sides share".getBytes(StandardCharsets.UTF_8);

  /** Records a link's state changes. */
  static final class RecordingListener implements LinkClient.Listener {

    final AtomicInteger readyCount = new AtomicInteger();
    final List<List<RoomEvent.Incoming>> losses = new CopyOnWriteArrayList<>();
    final List<String> draining = new CopyOnWriteArrayList<>();
    final List<String> paused = new CopyOnWriteArrayList<>();
    final List<String> serving = new CopyOnWriteArrayList<>();

    @Override
    public void ready(String ownerId) {
      readyCount.incrementAndGet();
    }

    @Override
    public void lost(List<RoomEvent.Incoming> unhandled) {
      losses.add(unhandled);
    }

    @Override
    public void draining(String ownerId) {
      draining.add(ownerId);
    }

    @Override
    public void paused(String ownerId) {
      paused.add(ownerId);
    }

    @Override
    public void serving(String ownerId) {
      serving.add(ownerId);
    }
  }

  final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final Deque<Runnable> closers = new ArrayDeque<>();

  LinkServer server(RecordingRoomEvents events) throws IOException {
    return server(events, 0, SECRET);
  }

  LinkServer server(RecordingRoomEvents events, int port, byte[] secret) throws IOException {
    LinkServer server =
        new LinkServer("owner-1", new InetSocketAddress("127.0.0.1", port), secret, events, group);
    closers.push(server::close);
    server.start();
    return server;
  }

  LinkClient client(
      String gatewayId,
      LinkServer server,
      byte[] secret,
      RecordingClients local,
      RecordingListener listener) {
    LinkClient client = new LinkClient(gatewayId, server.address(), secret, local, group, listener);
    closers.push(client::close);
    client.start();
    return client;
  }

  LinkClient readyClient(
      String gatewayId, LinkServer server, RecordingClients local, RecordingListener listener) {
    LinkClient client = client(gatewayId, server, SECRET, local, listener);
    await().atMost(5, TimeUnit.SECONDS).until(client::isReady);
    return client;
  }

  @Override
  public void close() {
    while (!closers.isEmpty()) {
      closers.pop().run();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
