package dev.dormouse.store;

import dev.dormouse.contract.RedisUrl;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One shared Redis connection, standalone, Sentinel ({@code redis-sentinel://}) or Cluster
 * ({@code redis-cluster://host:port,host:port}), as {@link RedisUrl} reads the URL. Everything is written
 * against the commands that standalone and Cluster share, so the same code serves both. While Redis is unreachable commands
 * fail at once rather than queue, so callers can give a clear error instead of hanging. Synchronous
 * calls on a {@link SharedThread} wait through it, so a stalled Redis holds no thread other rooms need.
 * Lease grants and renewals that must wait for replicas have a connection of their own ({@link
 * LeaseWrites}).
 */
public final class RedisConnector implements AutoCloseable {

  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration RECONNECT_MIN = Duration.ofMillis(50);
  private static final Duration RECONNECT_MAX = Duration.ofSeconds(1);

  /**
   * Lettuce's String codec decodes values as UTF-8, which replaces bytes that are not UTF-8: values
   * that must round-trip exactly travel as byte arrays. Keys stay text (UTF-8), as everywhere.
   */
  private static final RedisCodec<String, byte[]> BINARY_VALUES =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final ClientResources resources;
  private final AutoCloseable client;
  private final StatefulConnection<String, String> connection;
  private final RedisClusterCommands<String, String> sync;

  /** Keys as text, values as bytes: for values that must round-trip exactly (room storage). */
  private final StatefulConnection<String, byte[]> binaryConnection;

  private final RedisClusterCommands<String, byte[]> binarySync;
  private final RedisClusterAsyncCommands<String, String> async;
  private final StatefulRedisPubSubConnection<String, String> pubSub;
  private final LeaseWrites leaseWrites;
  private final Supplier<BinaryConnection> binaryConnections;

  /** A connection of its own whose keys and values are bytes, as published messages are. */
  record BinaryConnection(
      StatefulConnection<byte[], byte[]> connection,
      RedisClusterCommands<byte[], byte[]> sync,
      RedisClusterAsyncCommands<byte[], byte[]> async)
      implements AutoCloseable {

    @Override
    public void close() {
      connection.close();
    }
  }

  private RedisConnector(String url, int leaseReplicas) {
    if (leaseReplicas < 0) {
      throw new IllegalArgumentException("lease replicas must be 0 or more: " + leaseReplicas);
    }
    RedisUrl parsed = RedisUrl.parse(url);
    List<RedisURI> uris = clientUris(parsed);
    // Lettuce's default backoff reaches 30 s between attempts: after an outage of that long, rooms
    // and new connections would wait up to 30 s more. Capped at a second, every process is back
    // within one.
    resources =
        DefaultClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(RECONNECT_MIN, RECONNECT_MAX, 2, TimeUnit.MILLISECONDS))
            .build();
    if (parsed.kind() == RedisUrl.Kind.CLUSTER) {
      RedisClusterClient cluster = RedisClusterClient.create(resources, uris);
      cluster.setOptions(
          ClusterClientOptions.builder()
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .build());
      var conn = connectedToEveryPrimary(cluster.connect());
      client = cluster::shutdown;
      connection = conn;
      sync = WaitingCommands.over(conn.sync());
      async = conn.async();
      pubSub = cluster.connectPubSub();
      var binary = connectedToEveryPrimary(cluster.connect(BINARY_VALUES));
      binaryConnection = binary;
      binarySync = WaitingCommands.over(binary.sync());
      leaseWrites =
          leaseReplicas == 0
              ? LeaseWrites.unreplicated(sync, async)
              : LeaseWrites.waitingFor(leaseReplicas, connectedToEveryPrimary(cluster.connect()));
      binaryConnections =
          () -> {
            var bytes = connectedToEveryPrimary(cluster.connect(ByteArrayCodec.INSTANCE));
            return new BinaryConnection(bytes, bytes.sync(), bytes.async());
          };
    } else {
      RedisClient standalone = RedisClient.create(resources, uris.get(0));
      standalone.setOptions(
          ClientOptions.builder()
              .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
              .build());
      var conn = standalone.connect();
      client = standalone::shutdown;
      connection = conn;
      sync = WaitingCommands.over(conn.sync());
      async = conn.async();
      pubSub = standalone.connectPubSub();
      var binary = standalone.connect(BINARY_VALUES);
      binaryConnection = binary;
      binarySync = WaitingCommands.over(binary.sync());
      leaseWrites =
          leaseReplicas == 0
              ? LeaseWrites.unreplicated(sync, async)
              : LeaseWrites.waitingFor(leaseReplicas, standalone.connect());
      binaryConnections =
          () -> {
            var bytes = standalone.connect(ByteArrayCodec.INSTANCE);
            return new BinaryConnection(bytes, bytes.sync(), bytes.async());
          };
    }
  }

  /**
   * Lettuce opens the connection to a slot's node on the first command for it, and with
   * REJECT_COMMANDS that command (a lease, a fenced write) is refused while the connection is still
   * being made. Opening them all here makes a connected connector a usable one.
   */
  private static <K, V> StatefulRedisClusterConnection<K, V> connectedToEveryPrimary(
      StatefulRedisClusterConnection<K, V> conn) {
    for (RedisClusterNode node : conn.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        conn.getConnection(node.getUri().getHost(), node.getUri().getPort());
      }
    }
    return conn;
  }

  /** What Lettuce connects to: the one URI, or every Cluster seed, each with the URL's credentials. */
  static List<RedisURI> clientUris(RedisUrl url) {
    return url.clientUris().stream().map(uri -> withTimeout(RedisURI.create(uri))).toList();
  }

  private static RedisURI withTimeout(RedisURI uri) {
    uri.setTimeout(COMMAND_TIMEOUT);
    return uri;
  }

  /**
   * Connects; throws {@link IllegalArgumentException} naming REDIS_URL when the URL is malformed and
   * {@link io.lettuce.core.RedisConnectionException} when Redis cannot be reached.
   */
  public static RedisConnector connect(String url) {
    return connect(url, defaultLeaseReplicas(RedisUrl.parse(url)));
  }

  /**
   * Connects; lease grants and renewals count only once {@code leaseReplicas} replicas have them
   * ({@link LeaseWrites}), none for 0.
   */
  public static RedisConnector connect(String url, int leaseReplicas) {
    return new RedisConnector(url, leaseReplicas);
  }

  /**
   * One replica behind Sentinel, which only ever fails over to a replica, so there is at least one;
   * none for standalone and Cluster URLs, which say nothing of replicas (a Cluster with replicas is
   * told so). Fewer acknowledgements than asked for, 0 among them, means the write is not safe: a
   * primary whose replica has just dropped answers WAIT as one without replicas does.
   */
  public static int defaultLeaseReplicas(RedisUrl url) {
    return url.kind() == RedisUrl.Kind.SENTINEL ? 1 : 0;
  }

  LeaseWrites leaseWrites() {
    return leaseWrites;
  }

  /**
   * Opens another connection, bytes in and out, that the caller closes: for what must not wait
   * behind the shared connection's traffic (a blocking read) or is not text (a binary message).
   */
  BinaryConnection connectBinary() {
    return binaryConnections.get();
  }

  public RedisClusterCommands<String, String> sync() {
    return sync;
  }

  public RedisClusterAsyncCommands<String, String> async() {
    return async;
  }

  /** Synchronous commands whose values are bytes, stored and read exactly. */
  RedisClusterCommands<String, byte[]> binarySync() {
    return binarySync;
  }

  public boolean isConnected() {
    return connection.isOpen();
  }

  public void publish(String channel, String message) {
    pubSub.async().publish(channel, message);
  }

  /** Delivers every message of the channel to {@code listener}, on a Redis I/O thread. */
  public void subscribe(String channel, Consumer<String> listener) {
    pubSub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String ch, String message) {
            if (ch.equals(channel)) {
              listener.accept(message);
            }
          }
        });
    pubSub.sync().subscribe(channel);
  }

  @Override
  public void close() {
    leaseWrites.close();
    pubSub.close();
    binaryConnection.close();
    connection.close();
    try {
      client.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    resources.shutdown();
  }
}
