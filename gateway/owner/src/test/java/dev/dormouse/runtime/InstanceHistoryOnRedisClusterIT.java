package dev.dormouse.runtime;

import dev.dormouse.testing.EmbeddedRedisClusterExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Instances' history on a three-primary Redis Cluster: the stream and the wake counter share the
 * instance's hash tag, so each append is one script on one slot.
 */
@ExtendWith(EmbeddedRedisClusterExtension.class)
class InstanceHistoryOnRedisClusterIT extends InstanceHistoryIT {}
