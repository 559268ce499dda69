package dev.dormouse.routing;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerDirectory;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.WakeRequester;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.contract.RoomKey;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each room event to the owner of its room key: the room's ready owners hashed on the key.
 * While a key has nowhere to go — no ready owner (the room is woken), the owner's link not up, or
 * the key moving from one owner to another — its events wait here in order, up to the room's wake
 * buffer and wake timeout; past either, their senders get 1013 (connects 503), never silence.
 */
public final class OwnerRouter implements RoomEventSink {

  private static final Logger log = LoggerFactory.getLogger(OwnerRouter.class);
  static final String WAKE_TIMED_OUT = "Room did not wake in time, try again later";
  static final String BUFFER_FULL = "Room is waking and its buffer is full, try again later";
  static final String OWNER_LOST = "Room owner lost before handling a message, try again";
  private static final long RETRY_MILLIS = 200;

  /** Where failed senders are told: the gateway's own client connections. */
  public interface Senders {
    void tryAgainLater(String connectionId, String reason);
  }

  private final String gatewayId;
  private final RoomCatalog catalog;
  private final OwnerDirectory directory;
  private final Function<OwnerEndpoint, OwnerLink> links;
  private final WakeRequester wake;
  private final Senders senders;
  private final Metrics metrics;
  private final ScheduledExecutorService timers;
  private final Duration wakeTimeout;
  private final ConcurrentHashMap<RoomKey, Waiting> waiting = new ConcurrentHashMap<>();

  public OwnerRouter(String gatewayId, RoomCatalog catalog, OwnerDirectory directory,
      Function<OwnerEndpoint, OwnerLink> links, WakeRequester wake, Senders senders, Metrics metrics,
      ScheduledExecutorService timers, Duration wakeTimeout) {
    this.gatewayId = gatewayId;
    this.catalog = catalog;
    this.directory = directory;
    this.links = links;
    this.wake = wake;
    this.senders = senders;
    this.metrics = metrics;
    this.timers = timers;
    this.wakeTimeout = wakeTimeout;
    directory.addListener(this::retryAll);
    timers.scheduleWithFixedDelay(this::retryAll, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    metrics.gauge("dormouse_gateway_waiting_events", "Events waiting for their room's owner",
        () -> waiting.values().stream().mapToInt(Waiting::size).sum());
  }

  /**
   * The events of one key that cannot go yet. {@code returned} are events an owner handed back; they
   * are older than every event in {@code fresh}, which arrived after the key started waiting.
   */
  private static final class Waiting {
    final RoomKey key;
    final Deque<RoomEvent> returned = new ArrayDeque<>();
    final Deque<RoomEvent> fresh = new ArrayDeque<>();
    final long since = System.currentTimeMillis();
    /** An owner handed events back and has not yet confirmed it returned them all. */
    boolean moving;
    /** The owner that holds the key's lease, when one said so. */
    String pinnedOwner;
    boolean removed;

    Waiting(RoomKey key) {
      this.key = key;
    }

    synchronized int size() {
      return returned.size() + fresh.size();
    }
  }

  @Override
  public boolean offer(RoomEvent event) {
    while (true) {
      Waiting w = waiting.get(event.key());
      if (w != null) {
        synchronized (w) {
          if (!w.removed) {
            enqueue(w, w.fresh, event);
            return true;
          }
        }
        continue;
      }
      Optional<OwnerLink> link = target(event.key(), null).map(links);
      if (link.isPresent() && link.get().isReady() && link.get().offer(event)) {
        return true;
      }
      Waiting created = new Waiting(event.key());
      if (waiting.putIfAbsent(event.key(), created) == null) {
        synchronized (created) {
          enqueue(created, created.fresh, event);
        }
        flush(created);
        return true;
      }
    }
  }

  /** An owner handed an event back: another owner holds the key, or it is draining. */
  public void redirected(OwnerEndpoint from, RoomEvent event, Optional<String> holder) {
    Waiting w = waiting.computeIfAbsent(event.key(), Waiting::new);
    boolean startMove;
    synchronized (w) {
      if (w.removed) {
        // Lost a race with a flush that just finished: route it as if new.
        startMove = false;
      } else {
        w.returned.add(event);
        startMove = !w.moving;
        w.moving = true;
        w.pinnedOwner = holder.filter(h -> !h.equals(from.ownerId())).orElse(null);
      }
    }
    if (!startMove) {
      if (w.removed) {
        offer(event);
      }
      return;
    }
    // Everything this gateway sent the old owner for the key comes back before the fence passes.
    RoomEvent.Fence fence = new RoomEvent.Fence(event.key(), gatewayId, new CompletableFuture<>());
    fence.passed().whenComplete((ok, error) -> {
      synchronized (w) {
        w.moving = false;
      }
      timers.schedule(() -> flush(w), RETRY_MILLIS, TimeUnit.MILLISECONDS);
    });
    OwnerLink link = links.apply(from);
    if (!link.isReady() || !link.offer(fence)) {
      fence.passed().complete(null);
    }
  }

  /** The link to an owner went down with messages it had not confirmed handled. */
  public void lost(List<RoomEvent.Incoming> unhandled) {
    for (RoomEvent.Incoming message : unhandled) {
      metrics.error("owner-lost");
      senders.tryAgainLater(message.connectionId(), OWNER_LOST);
    }
  }

  /** Something changed (owners, links): give every waiting key another try. */
  public void retryAll() {
    for (Waiting w : waiting.values()) {
      flush(w);
    }
  }

  private void enqueue(Waiting w, Deque<RoomEvent> queue, RoomEvent event) {
    int limit = catalog.find(w.key.namespace(), w.key.room()).map(RoomSettings::wakeBufferMessages).orElse(0);
    boolean message = event instanceof RoomEvent.Incoming || event instanceof RoomEvent.Connect;
    if (message && w.returned.size() + w.fresh.size() >= Math.max(1, limit)) {
      metrics.error("wake-buffer-full");
      refuse(event, BUFFER_FULL);
      return;
    }
    queue.add(event);
  }

  private void flush(Waiting w) {
    synchronized (w) {
      if (w.removed || w.moving) {
        return;
      }
      Optional<OwnerEndpoint> target = target(w.key, w.pinnedOwner);
      OwnerLink link = target.map(links).orElse(null);
      if (target.isEmpty()) {
        wake.requestWake(w.key.namespace(), w.key.room());
      }
      if (link != null && link.isReady()) {
        if (drainInto(link, w.returned) && drainInto(link, w.fresh)) {
          w.removed = true;
          waiting.remove(w.key, w);
          return;
        }
      }
      if (System.currentTimeMillis() - w.since > wakeTimeout.toMillis()) {
        log.warn("room {} found no owner within {}; refusing {} waiting events", w.key, wakeTimeout, w.size());
        metrics.error("wake-timeout");
        refuseAll(w.returned);
        refuseAll(w.fresh);
        w.removed = true;
        waiting.remove(w.key, w);
      }
    }
  }

  private static boolean drainInto(OwnerLink link, Deque<RoomEvent> queue) {
    while (!queue.isEmpty()) {
      if (!link.offer(queue.peek())) {
        return false;
      }
      queue.poll();
    }
    return true;
  }

  /** The pinned lease holder while it is ready, else the key's place on the ring. */
  private Optional<OwnerEndpoint> target(RoomKey key, String pinnedOwner) {
    List<OwnerEndpoint> ready = directory.readyOwners(key.namespace(), key.room());
    if (pinnedOwner != null) {
      Optional<OwnerEndpoint> pinned = ready.stream().filter(o -> o.ownerId().equals(pinnedOwner)).findFirst();
      if (pinned.isPresent()) {
        return pinned;
      }
    }
    return OwnerRing.pick(key, ready);
  }

  private void refuseAll(Deque<RoomEvent> queue) {
    RoomEvent event;
    while ((event = queue.poll()) != null) {
      refuse(event, WAKE_TIMED_OUT);
    }
  }

  private void refuse(RoomEvent event, String reason) {
    if (event instanceof RoomEvent.Connect c) {
      c.outcome().complete(ConnectOutcome.refused(503, reason));
    } else if (event instanceof RoomEvent.Incoming m) {
      senders.tryAgainLater(m.connectionId(), reason);
      m.handled().complete(null);
    } else if (event instanceof RoomEvent.Close c) {
      c.done().complete(null);
    } else if (event instanceof RoomEvent.Fence f) {
      f.passed().complete(null);
    }
  }
}
