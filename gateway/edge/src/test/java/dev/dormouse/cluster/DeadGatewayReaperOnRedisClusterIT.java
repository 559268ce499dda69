package dev.dormouse.cluster;

import dev.dormouse.testing.EmbeddedRedisClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reaper on a three-primary Redis Cluster, where the gateway list, each gateway's connections
 * and each room's counts are keys on different nodes.
 */
@ExtendWith(EmbeddedRedisClusterExtension.class)
class DeadGatewayReaperOnRedisClusterIT extends DeadGatewayReaperIT {}
