package dev.dormouse.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import redis.embedded.RedisServer;

/** A real redis-server, shipped inside the jar, on a free loopback port: Redis without installing Redis. */
public final class EmbeddedRedis implements AutoCloseable {

  private static final int START_ATTEMPTS = 3;

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private static final int LOWEST = 10_000;

  /** Where the next probe starts: a random place per JVM, then onwards, so no port is given twice. */
  private static final AtomicInteger next = new AtomicInteger(-1);

  private final RedisServer server;
  private final int port;

  private EmbeddedRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * On a port free when asked. Another socket can take that port before redis-server binds it (an
   * outgoing connection's source port is drawn from the same range), so a failed start is retried on a
   * fresh port a few times.
   */
  public static EmbeddedRedis start() throws IOException {
    IOException failure = null;
    for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      try {
        return start(freePort());
      } catch (IOException e) {
        failure = e;
      }
    }
    throw failure;
  }

  public static EmbeddedRedis start(int port) throws IOException {
    RedisServer server =
        RedisServer.newRedisServer()
            .port(port)
            .bind("127.0.0.1")
            .setting("save \"\"")
            .setting("appendonly no")
            .build();
    server.start();
    return new EmbeddedRedis(server, port);
  }

  /**
   * A port nothing listens on right now. Drawn from below the kernel's ephemeral range: a port the
   * kernel handed out (bind to 0) can be taken again as the source port of any outgoing connection in
   * the moment before the server binds it, which a busy suite hit.
   */
  public static int freePort() throws IOException {
    return freePort(0);
  }

  /**
   * A free port whose port + {@code offset} is free too, both below the ephemeral range: a Cluster
   * node's bus listens at its port + 10000.
   */
  public static int freePort(int offset) throws IOException {
    int span = ephemeralLow() - offset - LOWEST;
    if (span < 1_000) {
      return kernelPick();
    }
    next.compareAndSet(-1, ThreadLocalRandom.current().nextInt(span));
    for (int tries = 0; tries < span; tries++) {
      int port = LOWEST + Math.floorMod(next.getAndIncrement(), span);
      if (bindable(port) && (offset == 0 || bindable(port + offset))) {
        return port;
      }
    }
    return kernelPick();
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int kernelPick() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * The ephemeral range's first port; 0 where the kernel does not say (not Linux). Read by lines: a
   * /proc file reports its size as 0, and Files.readString came back with one byte of it.
   */
  private static int ephemeralLow() {
    try {
      return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public void stop() throws IOException {
    server.stop();
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
