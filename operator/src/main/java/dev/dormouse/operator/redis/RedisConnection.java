package dev.dormouse.operator.redis;

import dev.dormouse.contract.RedisUrl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.List;

/**
 * One shared Lettuce connection, standalone or Cluster depending on the URL. Callers see the
 * commands both have in common, so cross-node SCAN and multi-slot UNLINK work in either.
 */
public final class RedisConnection implements AutoCloseable {

  private final Runnable shutdown;
  private final StatefulConnection<String, String> connection;
  private final RedisClusterCommands<String, String> commands;

  private RedisConnection(
      Runnable shutdown,
      StatefulConnection<String, String> connection,
      RedisClusterCommands<String, String> commands) {
    this.shutdown = shutdown;
    this.connection = connection;
    this.commands = commands;
  }

  /**
   * Connects to {@code REDIS_URL} as {@link RedisUrl} reads it (standalone, Sentinel or Cluster). Every
   * command times out after {@code timeout} so a dead Redis fails a reconcile instead of hanging it.
   *
   * @throws IllegalArgumentException naming REDIS_URL when the URL is malformed
   */
  public static RedisConnection connect(String url, Duration timeout) {
    RedisUrl parsed = RedisUrl.parse(url);
    List<RedisURI> uris = clientUris(parsed, timeout);
    if (parsed.kind() == RedisUrl.Kind.CLUSTER) {
      RedisClusterClient client = RedisClusterClient.create(uris);
      var connection = client.connect();
      connection.setTimeout(timeout);
      return new RedisConnection(client::shutdown, connection, connection.sync());
    }
    RedisClient client = RedisClient.create(uris.get(0));
    var connection = client.connect();
    return new RedisConnection(client::shutdown, connection, connection.sync());
  }

  static List<RedisURI> clientUris(RedisUrl url, Duration timeout) {
    return url.clientUris().stream()
        .map(RedisURI::create)
        .map(
            uri -> {
              uri.setTimeout(timeout);
              return uri;
            })
        .toList();
  }

  public RedisClusterCommands<String, String> commands() {
    return commands;
  }

  @Override
  public void close() {
    connection.close();
    shutdown.run();
  }
}
