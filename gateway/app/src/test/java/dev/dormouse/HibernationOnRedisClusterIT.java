package dev.dormouse;

import dev.dormouse.testing.LocalRunFixture;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;

/**
 * Hibernation and revival, alarms and auto-responses with the local run over a three-primary Redis
 * Cluster, where a room's keys share one slot but rooms spread over the nodes.
 */
class HibernationOnRedisClusterIT extends HibernationIT {

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.startOnRedisCluster(ROOM);
  }
}
