package dev.dormouse.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.regex.Pattern;
import redis.embedded.RedisServer;

/**
 * The embedded redis-server (the binary inside the embedded-redis jar) as a process of a {@link
 * NetworkHosts} host, listening on every address of it, so that Redis is a host of its own on the
 * test network that the test can cut off.
 */
public final class RedisProcess {

  public static final int PORT = 6379;
  private static final Duration START = Duration.ofSeconds(30);

  private RedisProcess() {}

  /** Starts it and waits until it accepts connections. */
  public static ManagedProcess start(NetworkHosts.Host host)
      throws IOException, InterruptedException {
    ManagedProcess redis =
        ManagedProcess.program(
                RedisServer.newRedisServer()
                    .port(PORT)
                    .bind("0.0.0.0")
                    .setting("protected-mode no")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .buildCommandArgs())
            .named("redis on " + host.name())
            .inside(host.inside())
            .start();
    redis.awaitLine(Pattern.compile("Ready to accept connections"), START);
    return redis;
  }

  /** REDIS_URL of the Redis on {@code host}. */
  public static String url(NetworkHosts.Host host) {
    return "redis://" + host.address() + ":" + PORT;
  }
}
