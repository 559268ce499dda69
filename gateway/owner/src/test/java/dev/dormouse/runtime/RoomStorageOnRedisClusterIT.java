package dev.dormouse.runtime;

import dev.dormouse.testing.EmbeddedRedisClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A room's storage on a three-primary Redis Cluster: its hash, its key index and its lease share the
 * instance's hash tag, so each batch is one script on one slot.
 */
@ExtendWith(EmbeddedRedisClusterExtension.class)
class RoomStorageOnRedisClusterIT extends RoomStorageIT {}
