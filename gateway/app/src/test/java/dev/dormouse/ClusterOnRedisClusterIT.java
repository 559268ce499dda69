package dev.dormouse;

import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.EmbeddedRedisCluster;
import dev.dormouse.testing.EmbeddedRedisClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two gateways and two owners over a three-primary Redis Cluster: rooms, leases, connection
 * records and control messages on different nodes. One cluster for the class, emptied before each
 * test.
 */
@ExtendWith(EmbeddedRedisClusterExtension.class)
class ClusterOnRedisClusterIT extends ClusterIT {

  static EmbeddedRedisCluster redisCluster;

  @BeforeAll
  static void redisCluster(EmbeddedRedisCluster shared) {
    redisCluster = shared;
  }

  @Override
  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.startOn(redisCluster, ROOMS);
  }
}
