package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lease connection drops while its WAIT is out and reconnects to a newly promoted primary, as on a
 * Sentinel failover, over a connection that sends again what was in flight at the drop (Lettuce's
 * default). Redis counts for a WAIT only the writes made before it on its own connection: the WAIT
 * sent again on the new connection answers at once with the new primary's replica, though neither
 * ever saw the write. Here the old primary's replica is asleep, so the first WAIT blocks; the
 * connection is killed while it blocks, and the address it reconnects to is the promoted primary's.
 */
class LeaseWritesFailoverIT {

  private EmbeddedRedis primary;
  private EmbeddedRedis replica;
  private EmbeddedRedis promoted;
  private EmbeddedRedis promotedReplica;
  private RedisClient admin;
  private StatefulRedisConnection<String, String> primaryAdmin;
  private StatefulRedisConnection<String, String> replicaAdmin;
  private StatefulRedisConnection<String, String> promotedAdmin;

  /** Where the lease connection's address leads: the primary, then the promoted one. */
  private final AtomicInteger leadsTo = new AtomicInteger();

  private ClientResources resources;
  private RedisClient leaseClient;

  @BeforeEach
  void start() throws IOException {
    primary = EmbeddedRedis.start();
    replica = EmbeddedRedis.start();
    promoted = EmbeddedRedis.start();
    promotedReplica = EmbeddedRedis.start();
    admin = RedisClient.create();
    primaryAdmin = admin.connect(RedisURI.create(primary.url()));
    replicaAdmin = admin.connect(RedisURI.create(replica.url()));
    promotedAdmin = admin.connect(RedisURI.create(promoted.url()));
    replicate(replicaAdmin, primary, primaryAdmin);
    replicate(admin.connect(RedisURI.create(promotedReplica.url())), promoted, promotedAdmin);
    leadsTo.set(primary.port());
    resources =
        ClientResources.builder()
            .socketAddressResolver(
                MappingSocketAddressResolver.create(
                    (HostAndPort address) -> HostAndPort.of(address.getHostText(), leadsTo.get())))
            .build();
    leaseClient = RedisClient.create(resources);
  }

  private static void replicate(
      StatefulRedisConnection<String, String> replica,
      EmbeddedRedis of,
      StatefulRedisConnection<String, String> ofAdmin) {
    replica.sync().replicaof("127.0.0.1", of.port());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> ofAdmin.sync().info("replication").contains("state=online"));
  }

  @AfterEach
  void stop() throws IOException {
    leaseClient.shutdown();
    resources.shutdown();
    admin.shutdown();
    promotedReplica.close();
    promoted.close();
    replica.close();
    primary.close();
  }

  @Test
  void aWriteWhoseWaitWasAnsweredOnTheNewConnectionIsRefused() {
    assertRefusedAfterAFailoverDuringTheWaitOf(
        writes ->
            CompletableFuture.supplyAsync(
                () -> writes.call("writing", "k", sync -> sync.set("k", "v"), "OK"::equals)));
  }

  @Test
  void aWriteSentWhoseWaitWasAnsweredOnTheNewConnectionFails() {
    assertRefusedAfterAFailoverDuringTheWaitOf(
        writes ->
            writes
                .send("writing", "k", async -> async.set("k", "v"), "OK"::equals)
                .toCompletableFuture());
  }

  private void assertRefusedAfterAFailoverDuringTheWaitOf(
      Function<LeaseWrites, CompletableFuture<String>> write) {
    try (LeaseWrites writes =
        LeaseWrites.waitingFor(1, leaseClient.connect(RedisURI.create(primary.url())))) {
      assertRefused(failOverDuringTheWaitOf(() -> write.apply(writes)));
    }
  }

  private void assertRefused(CompletableFuture<String> written) {
    assertThat(promotedAdmin.sync().get("k"))
        .as("the promoted primary never got the write")
        .isNull();
    assertThatThrownBy(written::join)
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("connection to Redis dropped");
  }

  /**
   * Puts the primary's replica to sleep, so that the WAIT after {@code write} blocks for its whole
   * 500 ms, and while it blocks points the lease connection's address at the promoted primary and
   * kills the connection.
   */
  private <T> CompletableFuture<T> failOverDuringTheWaitOf(Supplier<CompletableFuture<T>> write) {
    CompletionStage<String> asleep =
        replicaAdmin
            .async()
            .dispatch(
                CommandType.DEBUG,
                new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add(3));
    CompletableFuture<T> written = write.get();
    long waiting =
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(2))
            .until(this::clientBlockedInWait, id -> id > 0);
    leadsTo.set(promoted.port());
    assertThat(primaryAdmin.sync().clientKill(KillArgs.Builder.id(waiting))).isEqualTo(1L);
    written.exceptionally(e -> null).join();
    asleep.toCompletableFuture().join();
    return written;
  }

  /** The id of the client blocked in WAIT on the primary, 0 while there is none. */
  private long clientBlockedInWait() {
    return Arrays.stream(primaryAdmin.sync().clientList().split("\n"))
        .filter(line -> line.contains(" cmd=wait") && line.matches(".* flags=\\w*b\\w* .*"))
        .map(line -> Long.parseLong(line.replaceFirst("^id=(\\d+) .*", "$1").trim()))
        .findFirst()
        .orElse(0L);
  }
}
