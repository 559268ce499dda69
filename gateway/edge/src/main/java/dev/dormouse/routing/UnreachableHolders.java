package dev.dormouse.routing;

import dev.dormouse.room.RoomKey;
import dev.dormouse.store.LeaseHolders;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the rooms this gateway holds sockets in whose owner is alive yet out of its reach: the key's
 * lease is still held (renewed) by an owner whose link from here has been down for longer than {@link
 * #AFTER}. Whatever that owner's room sends this gateway's members is lost meanwhile (it keeps it 15
 * s at most), and they cannot know; they are told to connect again — through another gateway, which
 * may reach the owner. An owner that died holds its lease no longer than its TTL, shorter than the
 * bound, so its rooms' sockets stay open for the owner that takes the keys over.
 */
public final class UnreachableHolders {

  private static final Logger log = LoggerFactory.getLogger(UnreachableHolders.class);

  /**
   * As long as an owner keeps messages for a gateway that is not linked: sooner, a link that comes
   * back still delivers them; later, they are gone. Longer than the default lease TTL (10 s), so a
   * dead owner's lease has expired by then.
   */
  public static final Duration AFTER = Duration.ofSeconds(15);

  /** Closes the gateway's connections of one room instance, with 1013. */
  public interface Closer {
    void closeKey(RoomKey key);
  }

  private final Supplier<Set<RoomKey>> heldKeys;
  private final LeaseHolders holders;
  private final Supplier<Map<String, OwnerLink>> linksByOwner;
  private final LongSupplier nanoClock;
  private final Closer closer;
  private final long afterNanos;

  /**
   * @param linksByOwner this gateway's links, by the id of their owner
   * @param nanoClock the clock of {@link OwnerLink#notReadySinceNanos()}
   */
  public UnreachableHolders(
      Supplier<Set<RoomKey>> heldKeys,
      LeaseHolders holders,
      Supplier<Map<String, OwnerLink>> linksByOwner,
      LongSupplier nanoClock,
      Duration after,
      Closer closer) {
    this.heldKeys = heldKeys;
    this.holders = holders;
    this.linksByOwner = linksByOwner;
    this.nanoClock = nanoClock;
    this.afterNanos = after.toNanos();
    this.closer = closer;
  }

  /**
   * One round; asynchronous, never blocks. It reads the lease holders only while some link has been
   * down past the bound, so a healthy gateway pays nothing.
   */
  public CompletionStage<Void> check() {
    long now = nanoClock.getAsLong();
    Map<String, OwnerLink> links = linksByOwner.get();
    if (links.values().stream().noneMatch(link -> downPast(link, now))) {
      return CompletableFuture.completedFuture(null);
    }
    return holders
        .holders(heldKeys.get())
        .thenAccept(holderByKey -> closeUnreachable(holderByKey, links))
        .exceptionally(
            error -> {
              // Redis unreachable: the gateway's own fence handles that; try again next round.
              log.debug("could not read the lease holders: {}", error.toString());
              return null;
            });
  }

  private boolean downPast(OwnerLink link, long now) {
    return !link.isReady() && now - link.notReadySinceNanos() > afterNanos;
  }

  private void closeUnreachable(Map<RoomKey, String> holderByKey, Map<String, OwnerLink> links) {
    long now = nanoClock.getAsLong();
    holderByKey.forEach(
        (key, holder) -> {
          OwnerLink link = links.get(holder);
          if (link != null && downPast(link, now)) {
            log.warn(
                "room {}: its owner {} is alive (holds the lease) but unreachable from this gateway"
                    + " for {} s; telling its clients here to connect again",
                key,
                holder,
                (now - link.notReadySinceNanos()) / 1_000_000_000);
            closer.closeKey(key);
          }
        });
  }
}
