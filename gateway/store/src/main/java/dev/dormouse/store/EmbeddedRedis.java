package dev.dormouse.store;

import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/** A real redis-server, shipped inside the jar, on a free loopback port: Redis without installing Redis. */
public final class EmbeddedRedis implements AutoCloseable {

  private static final int START_ATTEMPTS = 3;

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

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
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
