package dev.dormouse.runtime;

import dev.dormouse.room.Room;
import dev.dormouse.room.RoomKey;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the room objects that implement {@link AutoCloseable} (a JavaScript room's engine context)
 * once their instance has left memory. On a room thread, never on the caller's: the caller may be the
 * timer thread that evicts and renews leases, and closing a room whose handler still runs (one
 * abandoned past its eventTimeout) waits for the engine to stop that handler.
 */
final class RoomCloser {

  private static final Logger log = LoggerFactory.getLogger(RoomCloser.class);

  private final RoomThreads threads;

  RoomCloser(RoomThreads threads) {
    this.threads = threads;
  }

  /** Closes {@code room} if it is closeable; call once per room object. */
  void close(RoomKey key, Room room) {
    if (!(room instanceof AutoCloseable closeable)) {
      return;
    }
    try {
      threads.execute(() -> closeNow(key, closeable));
    } catch (RejectedExecutionException e) {
      closeNow(key, closeable); // the runtime is shutting down: no room thread is left
    }
  }

  private static void closeNow(RoomKey key, AutoCloseable room) {
    try {
      RoomContextLoader.run(
          room.getClass(),
          () -> {
            room.close();
            return null;
          });
    } catch (Exception | LinkageError e) {
      log.warn("room {}: closing the instance that left memory failed", key, e);
    }
  }
}
