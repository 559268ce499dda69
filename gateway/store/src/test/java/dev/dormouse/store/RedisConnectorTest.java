package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.contract.RedisUrl;
import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisConnectorTest {

  @Test
  void everyClusterSeedCarriesTheUrlsCredentials() {
    List<RedisURI> seeds =
        RedisConnector.clientUris(
            RedisUrl.parse("redis-cluster://app:p%40ss+w0rd@a:7000,b:7001,c"));

    assertThat(seeds).extracting(RedisURI::getHost).containsExactly("a", "b", "c");
    assertThat(seeds).extracting(RedisURI::getPort).containsExactly(7000, 7001, 6379);
    assertThat(seeds)
        .allSatisfy(
            seed -> {
              RedisCredentials credentials =
                  seed.getCredentialsProvider().resolveCredentials().block(Duration.ofSeconds(1));
              assertThat(credentials.getUsername()).isEqualTo("app");
              assertThat(credentials.getPassword()).containsExactly("p@ss+w0rd".toCharArray());
              assertThat(seed.getTimeout()).isEqualTo(Duration.ofSeconds(5));
            });
  }

  @Test
  void sentinelKeepsItsMasterDatabaseAndPassword() {
    RedisURI uri =
        RedisConnector.clientUris(RedisUrl.parse("redis-sentinel://:pw@s1,s2:26380/2#mymaster"))
            .get(0);

    assertThat(uri.getSentinelMasterId()).isEqualTo("mymaster");
    assertThat(uri.getSentinels()).extracting(RedisURI::getHost).containsExactly("s1", "s2");
    assertThat(uri.getSentinels()).extracting(RedisURI::getPort).containsExactly(26379, 26380);
    assertThat(uri.getDatabase()).isEqualTo(2);
    assertThat(
            uri.getCredentialsProvider()
                .resolveCredentials()
                .block(Duration.ofSeconds(1))
                .getPassword())
        .containsExactly("pw".toCharArray());
    // As RedisUrl documents: Sentinels are asked without credentials (AUTH to a Sentinel that has
    // no password set fails the connection).
    assertThat(uri.getSentinels())
        .allSatisfy(
            sentinel ->
                assertThat(
                        sentinel
                            .getCredentialsProvider()
                            .resolveCredentials()
                            .block(Duration.ofSeconds(1))
                            .hasPassword())
                    .isFalse());
  }

  @Test
  void aMalformedUrlIsRefusedBeforeAnythingStarts() {
    assertThatThrownBy(() -> RedisConnector.connect("redis://host:port"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("REDIS_URL is not a Redis URL: port port is not a number");
  }
}
