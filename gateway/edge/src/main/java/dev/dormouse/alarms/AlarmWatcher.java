package dev.dormouse.alarms;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.AlarmIndex;
import dev.dormouse.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises the due alarms of the namespaces this gateway serves, for instances whether or not an owner
 * holds them in memory: every {@link #PERIOD} it claims what the index has due ({@link
 * AlarmIndex#claimDue}, atomic, so of all the gateways polling only one raises each) and sends each an
 * {@link RoomEvent.Alarm} through the routing, like a client's event: to the instance's owner, waking
 * the room when its owners are at zero. Nothing answers an alarm: one that is lost or refused on the
 * way stays claimed in the index until the claim times out, and is raised again then.
 */
public final class AlarmWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AlarmWatcher.class);

  /** How often each namespace's index is read: an alarm of an instance nobody holds is this late at most. */
  public static final Duration PERIOD = Duration.ofMillis(250);

  /** Entries claimed per read; a full batch is followed by another read at once. */
  static final int BATCH = 100;

  private final AlarmIndex index;
  private final RoomCatalog catalog;
  private final RoomEventSink router;
  private final String gatewayId;
  private final Metrics metrics;
  private final LongSupplier clock;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "alarm-watcher");
            t.setDaemon(true);
            return t;
          });

  /** The store failed the last read: said once per outage, not every period. */
  private boolean failing;

  /**
   * @param router where raised alarms go: the gateway's routing to owners
   * @param clock wall-clock epoch millis, the time alarms are set in
   */
  public AlarmWatcher(
      AlarmIndex index,
      RoomCatalog catalog,
      RoomEventSink router,
      String gatewayId,
      Metrics metrics,
      LongSupplier clock) {
    this.index = index;
    this.catalog = catalog;
    this.router = router;
    this.gatewayId = gatewayId;
    this.metrics = metrics;
    this.clock = clock;
  }

  public AlarmWatcher start() {
    // Its own thread: the reads wait on Redis, which must hold up no routing timer.
    thread.scheduleWithFixedDelay(
        this::poll, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One round over every namespace served. */
  void poll() {
    try {
      for (String namespace : namespaces()) {
        while (raiseDue(namespace) == BATCH) {
          // more are due than one batch: read again at once
        }
      }
      if (failing) {
        failing = false;
        log.info("alarm index readable again");
      }
    } catch (StoreException e) {
      if (!failing) {
        failing = true;
        log.warn("cannot read the alarm index, retrying every {}: {}", PERIOD, e.toString());
      }
    } catch (RuntimeException e) {
      log.error("alarm watcher failed; it goes on next period", e);
    }
  }

  private Set<String> namespaces() {
    Set<String> namespaces = new TreeSet<>();
    for (RoomSettings room : catalog.all()) {
      namespaces.add(room.namespace());
    }
    return namespaces;
  }

  /** Claims and raises one batch of the namespace's due alarms; how many were claimed. */
  private int raiseDue(String namespace) {
    long now = clock.getAsLong();
    List<RoomKey> due = index.claimDue(namespace, now, BATCH);
    for (RoomKey key : due) {
      if (catalog.find(key.namespace(), key.room()).isEmpty()) {
        // The room was deleted (its keys with it): nothing is left to raise.
        log.info("dropping the alarm of {}: its room is gone", key);
        index.forget(key, AlarmIndex.claimedUntil(now));
        continue;
      }
      metrics.gatewayAlarmRaised();
      router.offer(new RoomEvent.Alarm(key, gatewayId));
    }
    return due.size();
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
