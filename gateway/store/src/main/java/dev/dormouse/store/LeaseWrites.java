package dev.dormouse.store;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where lease grants and renewals go. With no replicas to wait for, over the shared connection, as any
 * command. Otherwise each counts only once {@code replicas} replicas have it ({@code WAIT}): a Sentinel
 * or Cluster failover promotes a replica, and a lease the old primary granted but the replica never
 * received would be lost with it, free for a second owner while the first still acts on it. WAIT
 * counts the writes made before it on the same connection, and blocks that connection until it is
 * answered, so these writes have connections of their own: one, or under Cluster the connection to
 * the primary of the key's slot, where the WAIT must go too.
 */
final class LeaseWrites implements AutoCloseable {

  /**
   * How long a WAIT waits for the replicas. A healthy replica on the same network answers within a
   * millisecond or two; a replica that takes longer is as good as gone for a lease renewed every third
   * of its TTL.
   */
  static final Duration WAIT_TIMEOUT = Duration.ofMillis(500);

  /**
   * The commands of one connection that writes and then waits on it, with its barrier and the count
   * of its reconnections.
   */
  private record Channel(
      RedisClusterCommands<String, String> sync,
      RedisClusterAsyncCommands<String, String> async,
      ReplicaBarrier barrier,
      ConnectionGeneration generation) {

    /**
     * Throws unless the WAIT just answered went over the connection the write went over ({@code
     * writtenIn} its generation then), so that it counted the write. A WAIT on a newer connection,
     * after a failover to the promoted replica, answers for that server's replicas, which never saw
     * the write. The connector's connections reject commands while disconnected, so a WAIT in flight
     * at a drop fails rather than being sent again; this still catches a reconnection between a
     * write's answer and its WAIT going out, and a connection that resends (Lettuce's default).
     */
    void sameConnectionAs(long writtenIn) {
      if (generation.now() != writtenIn) {
        throw NotReplicatedException.connectionChanged();
      }
    }
  }

  private final int replicas;
  private final Function<String, Channel> channelOf;
  private final Runnable closing;

  private LeaseWrites(int replicas, Function<String, Channel> channelOf, Runnable closing) {
    this.replicas = replicas;
    this.channelOf = channelOf;
    this.closing = closing;
  }

  /** Over the shared connection, waiting for no replica. */
  static LeaseWrites unreplicated(
      RedisClusterCommands<String, String> sync, RedisClusterAsyncCommands<String, String> async) {
    Channel shared = new Channel(sync, async, null, new ConnectionGeneration());
    return new LeaseWrites(0, key -> shared, () -> {});
  }

  /** Over {@code connection}, a standalone or Sentinel connection of their own. */
  static LeaseWrites waitingFor(int replicas, StatefulRedisConnection<String, String> connection) {
    Channel channel = channel(replicas, connection);
    return new LeaseWrites(replicas, key -> channel, connection::close);
  }

  /** Over {@code connection}, a Cluster connection of their own: each key's write goes to its slot's primary. */
  static LeaseWrites waitingFor(
      int replicas, StatefulRedisClusterConnection<String, String> connection) {
    Map<StatefulRedisConnection<String, String>, Channel> channels =
        Collections.synchronizedMap(new WeakHashMap<>());
    return new LeaseWrites(
        replicas,
        key -> {
          RedisClusterNode node =
              connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
          if (node == null) {
            throw new RedisException("no Redis Cluster node holds the slot of " + key);
          }
          return channels.computeIfAbsent(
              connection.getConnection(node.getNodeId()), c -> channel(replicas, c));
        },
        connection::close);
  }

  private static Channel channel(int replicas, StatefulRedisConnection<String, String> connection) {
    var async = connection.async();
    return new Channel(
        WaitingCommands.over(connection.sync()),
        async,
        new ReplicaBarrier(
            () -> async.waitForReplication(replicas, WAIT_TIMEOUT.toMillis()), replicas),
        ConnectionGeneration.of(connection));
  }

  /**
   * Runs {@code write} on {@code key}'s channel and returns its result, once the replicas have it if
   * {@code wrote} says it changed anything (a refusal changes nothing and waits for no replica).
   */
  <T> T call(
      String what,
      String key,
      Function<RedisClusterCommands<String, String>, T> write,
      Predicate<T> wrote) {
    return RedisCalls.call(
        what,
        () -> {
          Channel channel = channelOf.apply(key);
          long writtenIn = channel.generation().now();
          T result = write.apply(channel.sync());
          if (replicas > 0 && wrote.test(result)) {
            long acknowledged =
                channel.sync().waitForReplication(replicas, WAIT_TIMEOUT.toMillis());
            if (acknowledged < replicas) {
              throw new NotReplicatedException(acknowledged, replicas);
            }
            channel.sameConnectionAs(writtenIn);
          }
          return result;
        });
  }

  /** {@link #call} without waiting: completes with the result, once the replicas have it if it wrote. */
  <T> CompletionStage<T> send(
      String what,
      String key,
      Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> write,
      Predicate<T> wrote) {
    Channel channel;
    try {
      channel = channelOf.apply(key);
    } catch (RedisException e) {
      return RedisCalls.guarded(what, CompletableFuture.failedFuture(e));
    }
    long writtenIn = channel.generation().now();
    RedisFuture<T> written = write.apply(channel.async());
    if (replicas == 0) {
      return RedisCalls.guarded(what, written);
    }
    // The WAIT goes out once the write is answered, so it covers it; writes answered meanwhile
    // share it.
    return RedisCalls.guarded(
        what,
        written.thenCompose(
            result ->
                wrote.test(result)
                    ? channel
                        .barrier()
                        .afterWritesSoFar()
                        .thenApply(
                            replicated -> {
                              channel.sameConnectionAs(writtenIn);
                              return result;
                            })
                    : CompletableFuture.completedFuture(result)));
  }

  @Override
  public void close() {
    closing.run();
  }
}
