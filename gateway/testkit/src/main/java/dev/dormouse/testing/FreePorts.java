package dev.dormouse.testing;

import dev.dormouse.store.EmbeddedRedis;
import java.io.IOException;

/**
 * A port nothing listens on right now, for a server a test starts as a process: the one choice of
 * {@link EmbeddedRedis#freePort()}, which explains where it is drawn from.
 */
public final class FreePorts {

  private static final int CLUSTER_BUS_OFFSET = 10_000;

  private FreePorts() {}

  public static int any() throws IOException {
    return EmbeddedRedis.freePort();
  }

  /** A port for a Redis Cluster node, whose bus port (this + 10000) is free too. */
  public static int clusterNode() throws IOException {
    return EmbeddedRedis.freePort(CLUSTER_BUS_OFFSET);
  }
}
