package dev.dormouse.runtime;

import dev.dormouse.testing.EmbeddedRedisClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Leases and fenced writes (Lua scripts over a room key's tagged keys) on a three-primary Redis
 * Cluster; the stall puts to sleep the node that holds the room's slot.
 */
@ExtendWith(EmbeddedRedisClusterExtension.class)
class SingleActivationOnRedisClusterIT extends SingleActivationIT {}
