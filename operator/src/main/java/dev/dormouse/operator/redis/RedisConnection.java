package dev.dormouse.operator.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One shared Lettuce connection, standalone or Cluster depending on the URL. Callers see the
 * commands both have in common, so cross-node SCAN and multi-slot UNLINK work in either.
 */
public final class RedisConnection implements AutoCloseable {

  private static final String CLUSTER_SCHEME = "redis-cluster://";

  private final Runnable shutdown;
  private final StatefulConnection<String, String> connection;
  private final RedisClusterCommands<String, String> commands;

  private RedisConnection(Runnable shutdown, StatefulConnection<String, String> connection,
      RedisClusterCommands<String, String> commands) {
    this.shutdown = shutdown;
    this.connection = connection;
    this.commands = commands;
  }

  /**
   * Connects to a Lettuce URI, or to {@code redis-cluster://[:password@]host:port,host:port}. Every
   * command times out after {@code timeout} so a dead Redis fails a reconcile instead of hanging it.
   */
  public static RedisConnection connect(String url, Duration timeout) {
    if (url.startsWith(CLUSTER_SCHEME)) {
      RedisClusterClient client = RedisClusterClient.create(clusterSeeds(url, timeout));
      var connection = client.connect();
      connection.setTimeout(timeout);
      return new RedisConnection(client::shutdown, connection, connection.sync());
    }
    RedisURI uri = RedisURI.create(url);
    uri.setTimeout(timeout);
    RedisClient client = RedisClient.create(uri);
    var connection = client.connect();
    return new RedisConnection(client::shutdown, connection, connection.sync());
  }

  static List<RedisURI> clusterSeeds(String url, Duration timeout) {
    String rest = url.substring(CLUSTER_SCHEME.length());
    int at = rest.lastIndexOf('@');
    String userInfo = at < 0 ? "" : rest.substring(0, at + 1);
    String hosts = at < 0 ? rest : rest.substring(at + 1);
    return Arrays.stream(hosts.split(","))
        .map(String::trim)
        .filter(host -> !host.isEmpty())
        .map(host -> {
          RedisURI seed = RedisURI.create("redis://" + userInfo + host);
          seed.setTimeout(timeout);
          return seed;
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
