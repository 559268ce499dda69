package dev.dormouse.store;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.api.StatefulConnection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the times a connection dropped or was made again, so that two reads that return the same
 * number saw one and the same Redis connection in between: Redis counts for a WAIT only the writes
 * made before it on its own connection ({@link LeaseWrites}). Lettuce tells its listeners of a drop
 * before it reconnects, so the count has moved before anything is answered on the new connection.
 */
final class ConnectionGeneration implements RedisConnectionStateListener {

  private final AtomicLong changes = new AtomicLong();

  /** Counting the drops and reconnections of {@code connection} from now on. */
  static ConnectionGeneration of(StatefulConnection<?, ?> connection) {
    ConnectionGeneration generation = new ConnectionGeneration();
    connection.addListener(generation);
    return generation;
  }

  long now() {
    return changes.get();
  }

  @Override
  public void onRedisConnected(RedisChannelHandler<?, ?> connection) {
    changes.incrementAndGet();
  }

  @Override
  public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
    changes.incrementAndGet();
  }
}
