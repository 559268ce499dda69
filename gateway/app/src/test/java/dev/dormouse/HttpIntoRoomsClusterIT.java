package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRing;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.ManagedProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP into rooms when owners are missing or die: answered with 503, never left hanging. */
class HttpIntoRoomsClusterIT {

  private static final String ROOM =
      LocalRunFixture.room(
          "hp",
          "dev.dormouse.testing.HttpProbeRoom",
          """
          instances: true
          limits:
            eventTimeout: 30s
          """);

  private final HttpClient http = HttpClient.newHttpClient();
  private ClusterFixture cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.start(ROOM);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  private static URI uri(InetSocketAddress gateway, String path) {
    return URI.create("http://127.0.0.1:" + gateway.getPort() + path);
  }

  private CompletableFuture<HttpResponse<String>> get(InetSocketAddress gateway, String path) {
    return http.sendAsync(
        HttpRequest.newBuilder(uri(gateway, path)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aRoomWhoseOwnerCannotWakeInTimeIs503WithRetryAfter() throws Exception {
    Duration wakeTimeout = Duration.ofSeconds(1);
    GatewayNode gateway =
        cluster.gateway("alone", new StaticOwnerDirectory(List.of()), new Metrics(), wakeTimeout);
    long started = System.nanoTime();

    HttpResponse<String> response =
        get(gateway.address(), "/rooms/hp/a/echo").get(10, TimeUnit.SECONDS);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("retry-after")).contains("1");
    assertThat(response.body()).isEqualTo("Room did not wake in time, try again later");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(wakeTimeout)
        .isLessThan(wakeTimeout.plusSeconds(3));
  }

  @Test
  void aRequestWhoseOwnerIsKilledMidRequestIsAnswered503AndTheNextIsServedByTheSurvivor()
      throws Exception {
    cluster.prepareLib();
    int port1 = FreePorts.any();
    int port2 = FreePorts.any();
    List<OwnerEndpoint> owners =
        List.of(
            new OwnerEndpoint("o1", new InetSocketAddress("127.0.0.1", port1)),
            new OwnerEndpoint("o2", new InetSocketAddress("127.0.0.1", port2)));
    ManagedProcess doomed = cluster.ownerProcess("o1", port1);
    cluster.ownerProcess("o2", port2);
    int port = FreePorts.any();
    ManagedProcess gatewayProcess =
        cluster.gatewayProcess("gw", port, "o1=127.0.0.1:" + port1 + ",o2=127.0.0.1:" + port2);
    InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", port);
    String instance = onOwner("o1", owners);
    RoomKey key = new RoomKey("default", "hp", instance);

    CompletableFuture<HttpResponse<String>> sleeping =
        get(gateway, "/rooms/hp/" + instance + "/sleep?ms=20000");
    RedisClient client = RedisClient.create(cluster.redisUrl());
    try (StatefulRedisConnection<String, String> redis = client.connect()) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> redis.sync().get(RedisKeys.lease(key)) != null);
      assertThat(redis.sync().get(RedisKeys.lease(key))).startsWith("o1 ");
    } finally {
      client.shutdown();
    }
    long killedAt = System.nanoTime();

    doomed.kill();

    HttpResponse<String> lost = sleeping.get(10, TimeUnit.SECONDS);
    assertThat(lost.statusCode()).isEqualTo(503);
    assertThat(lost.body()).isEqualTo("Owner connection lost, try again");
    assertThat(lost.headers().firstValue("retry-after")).contains("1");
    assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(5));
    gatewayProcess.awaitLine(Pattern.compile("link to owner o1 .* lost"));
    HttpResponse<String> next =
        get(gateway, "/rooms/hp/" + instance + "/echo").get(30, TimeUnit.SECONDS);
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(next.body()).contains("instance=" + instance);
  }

  /** An instance name the ring puts on {@code ownerId}. */
  private static String onOwner(String ownerId, List<OwnerEndpoint> owners) {
    for (int i = 0; ; i++) {
      String name = "k" + i;
      if (OwnerRing.pick(new RoomKey("default", "hp", name), owners)
          .orElseThrow()
          .ownerId()
          .equals(ownerId)) {
        return name;
      }
    }
  }
}
