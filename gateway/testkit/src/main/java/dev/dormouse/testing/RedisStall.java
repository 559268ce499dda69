package dev.dormouse.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.concurrent.CompletableFuture;

/** A connection of the test's own that puts Redis to sleep: a stalled Redis, not a gone one. */
public final class RedisStall implements AutoCloseable {

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;

  public RedisStall(String redisUrl) {
    client = RedisClient.create(redisUrl);
    connection = client.connect();
  }

  /** Sends {@code DEBUG SLEEP}; completes with "OK" once Redis answers again. */
  public CompletableFuture<String> sleep(int seconds) {
    return connection
        .async()
        .dispatch(
            CommandType.DEBUG,
            new StatusOutput<>(StringCodec.UTF8),
            new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(seconds))
        .toCompletableFuture();
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }
}
