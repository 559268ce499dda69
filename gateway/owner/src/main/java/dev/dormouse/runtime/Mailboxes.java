package dev.dormouse.runtime;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomKey;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The mailboxes in memory, one per room key, and their eviction. An instance idle for its room's
 * idleTimeout is evicted, mailbox and all, and re-created from Redis by its next event. An event that
 * arrives as its mailbox is being evicted never lands in the evicted one: it waits on the mailbox's
 * monitor until the eviction is done, finds it retired and goes to a fresh one, whose activation
 * therefore comes after the evicted instance was reset and its lease release sent (ahead of the new
 * acquire, on the same connection).
 */
final class Mailboxes {

  /** Makes the mailbox of a key not in memory. */
  interface Factory {
    Mailbox create(RoomKey key, RoomSettings settings, Supplier<Room> room);
  }

  private final ConcurrentHashMap<RoomKey, Mailbox> byKey = new ConcurrentHashMap<>();
  private final Factory factory;
  private final OwnerClock clock;

  Mailboxes(Factory factory, OwnerClock clock) {
    this.factory = factory;
    this.clock = clock;
  }

  /** Queues the event in its key's mailbox, making one if the key has none. */
  Mailbox.Admission offer(
      RoomKey key, RoomSettings settings, Supplier<Room> room, RoomEvent event, boolean bounded) {
    while (true) {
      Mailbox mailbox = byKey.computeIfAbsent(key, k -> factory.create(k, settings, room));
      Mailbox.Admission admission = mailbox.offer(event, bounded, clock.epochMillis());
      if (admission != Mailbox.Admission.RETIRED) {
        return admission;
      }
    }
  }

  Mailbox get(RoomKey key) {
    return byKey.get(key);
  }

  Collection<Mailbox> all() {
    return byKey.values();
  }

  boolean isEmpty() {
    return byKey.isEmpty();
  }

  /**
   * Evicts every mailbox idle for its room's idleTimeout (all idle ones, {@code evictAll}, when the
   * owner drains or has no gateway left; at once one whose lease a renewal found taken, see {@link
   * Mailbox#retireIfIdle}): {@code evicted} lets its instance and lease go and it leaves the map,
   * both before an event can find it retired and make a fresh one.
   */
  void evictIdle(boolean evictAll, Consumer<Mailbox> evicted) {
    long now = clock.epochMillis();
    for (Mailbox mailbox : byKey.values()) {
      long idleMillis = evictAll ? 0 : mailbox.settings.idleTimeout().toMillis();
      mailbox.retireIfIdle(
          now,
          idleMillis,
          () -> {
            evicted.accept(mailbox);
            byKey.remove(mailbox.key, mailbox);
          });
    }
  }
}
