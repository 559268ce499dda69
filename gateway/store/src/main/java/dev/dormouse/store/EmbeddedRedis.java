package dev.dormouse.store;

import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/** A real redis-server, shipped inside the jar, on a free loopback port: Redis without installing Redis. */
public final class EmbeddedRedis implements AutoCloseable {

  private final RedisServer server;
  private final int port;

  private EmbeddedRedis(RedisServer server, int port) {
    this.server = server;
    this.port = port;
  }

  public static EmbeddedRedis start() throws IOException {
    return start(freePort());
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
