package dev.dormouse.runtime;

import dev.dormouse.room.RoomKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The instances this owner evicted while their sockets were still open at gateways: hibernated, as
 * a client sees it (connected, nothing in memory), until they are revived (here, by their next
 * event: a message, an alarm, the close of a socket) or their last socket closed (which revives them
 * for {@code onClose}, so they leave memory again with no socket). An instance this owner lost to
 * another owner is not counted here; one another owner revived without this owner hearing of it (the
 * owners were scaled, and its key moved) stays counted here until this owner stops.
 */
final class HibernatedInstances {

  private final Set<RoomKey> keys = ConcurrentHashMap.newKeySet();

  /** The key's instance left memory with this many sockets open (none when it was lost). */
  void evicted(RoomKey key, int openSockets) {
    if (openSockets > 0) {
      keys.add(key);
    } else {
      keys.remove(key);
    }
  }

  /** How many are hibernated now; those {@code active} says are in memory again were revived. */
  int count(Predicate<RoomKey> active) {
    keys.removeIf(active);
    return keys.size();
  }
}
