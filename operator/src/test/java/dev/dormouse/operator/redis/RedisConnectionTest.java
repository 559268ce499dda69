package dev.dormouse.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.contract.RedisUrl;
import dev.dormouse.testing.RedisCredentialsOf;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisConnectionTest {

  @Test
  void clusterUrlsListEverySeedWithThePassword() {
    List<RedisURI> seeds =
        RedisConnection.clientUris(
            RedisUrl.parse("redis-cluster://:s3cret@a:7000, b:7001"), Duration.ofSeconds(2));

    assertThat(seeds).extracting(RedisURI::getHost).containsExactly("a", "b");
    assertThat(seeds).extracting(RedisURI::getPort).containsExactly(7000, 7001);
    assertThat(seeds)
        .allSatisfy(
            seed -> {
              assertThat(RedisCredentialsOf.uri(seed).getPassword())
                  .containsExactly("s3cret".toCharArray());
              assertThat(seed.getTimeout()).isEqualTo(Duration.ofSeconds(2));
            });
  }
}
