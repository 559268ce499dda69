package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/** The URL forms against a real redis-server that wants a password. */
class RedisConnectorIT {

  private static final String PASSWORD = "p@ss+w0rd";

  @Test
  void aPasswordProtectedStandaloneRedisTakesAPercentEncodedPassword() throws IOException {
    int port = EmbeddedRedis.freePort();
    RedisServer server = server(port).build();
    server.start();
    try (RedisConnector redis =
        RedisConnector.connect("redis://:p%40ss+w0rd@127.0.0.1:" + port + "/1")) {
      redis.sync().set("k", "v");

      assertThat(redis.sync().get("k")).isEqualTo("v");
    } finally {
      server.stop();
    }
  }

  /** The first seed is down: the cluster is found through the second, which needs the password too. */
  @Test
  void everyClusterSeedGetsThePassword(@TempDir Path dir) throws IOException {
    int port = EmbeddedRedis.freePort();
    RedisServer server =
        server(port)
            .setting("cluster-enabled yes")
            .setting("cluster-announce-ip 127.0.0.1")
            .setting("cluster-config-file " + Files.createDirectories(dir).resolve("nodes.conf"))
            .build();
    server.start();
    RedisClient admin =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(port)
                .withPassword(PASSWORD.toCharArray())
                .build());
    try (var connection = admin.connect()) {
      // One node holding every slot is a whole cluster, at the cost of one redis-server.
      connection.sync().clusterAddSlots(IntStream.range(0, 16384).toArray());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> connection.sync().clusterInfo().contains("cluster_state:ok"));
      String url =
          "redis-cluster://:p%40ss+w0rd@127.0.0.1:"
              + EmbeddedRedis.freePort()
              + ",127.0.0.1:"
              + port;
      try (RedisConnector redis = RedisConnector.connect(url)) {
        // Lettuce opens the connection to a slot's node on first use, and while it is being made
        // commands are rejected (REJECT_COMMANDS): the connector opens them all before it returns,
        // which needs the password too. The first command after connecting must go through.
        assertThat(redis.sync().set("k", "v")).isEqualTo("OK");

        assertThat(redis.sync().get("k")).isEqualTo("v");
      }
    } finally {
      admin.shutdown();
      server.stop();
    }
  }

  private static RedisServerBuilder server(int port) {
    return RedisServer.newRedisServer()
        .port(port)
        .bind("127.0.0.1")
        .setting("requirepass " + PASSWORD)
        .setting("save \"\"")
        .setting("appendonly no");
  }
}
