package dev.dormouse.cluster;

import dev.dormouse.testing.EmbeddedRedisClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** Heartbeats and a gateway's connection records on a three-primary Redis Cluster. */
@ExtendWith(EmbeddedRedisClusterExtension.class)
class GatewayRegistryOnRedisClusterIT extends GatewayRegistryIT {}
