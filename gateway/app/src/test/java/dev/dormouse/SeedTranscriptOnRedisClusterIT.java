package dev.dormouse;

import dev.dormouse.testing.LocalRunFixture;
import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;

/** The seed transcript, byte for byte, with the local run over a three-primary Redis Cluster. */
class SeedTranscriptOnRedisClusterIT extends SeedTranscriptIT {

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.startOnRedisCluster(ROOM);
  }
}
