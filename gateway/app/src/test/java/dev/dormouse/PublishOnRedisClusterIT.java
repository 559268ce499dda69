package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.EmbeddedRedisCluster;
import dev.dormouse.testing.EmbeddedRedisClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The publish API over a three-primary Redis Cluster: each gateway's stream is one key under its own
 * hash tag, on whichever node holds that slot, and the instance's connection records on another.
 */
@ExtendWith(EmbeddedRedisClusterExtension.class)
class PublishOnRedisClusterIT extends PublishIT {

  static EmbeddedRedisCluster redisCluster;

  @BeforeAll
  static void redisCluster(EmbeddedRedisCluster shared) {
    redisCluster = shared;
  }

  @Override
  ClusterFixture fixture() throws Exception {
    return ClusterFixture.startOn(redisCluster, ROOMS);
  }

  @Test
  void eachGatewaysStreamIsOneKeyOnTheSlotOfItsHashTag() {
    assertThat(eastApi.publishText("/v1/rooms/probe/news/messages", "x").statusCode())
        .isEqualTo(202); // no connections: no stream written
    member(east, "e", "x");
    member(west, "w", "x");
    assertThat(eastApi.publishText("/v1/rooms/probe/news/messages", "to both").statusCode())
        .isEqualTo(202);
    for (String gateway : new String[] {"east", "west"}) {
      String key = RedisKeys.gatewayPublished(gateway);
      EmbeddedRedisCluster.Node node = redisCluster.nodeOf(key);
      String type = node.call(redis -> redis.type(key));
      assertThat(type).isEqualTo("stream");
      assertThat(redisCluster.nodeOf(RedisKeys.gatewayConnections(gateway)).port())
          .isEqualTo(node.port());
    }
  }
}
