package dev.dormouse.routing;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerDirectory;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.WakeRequester;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.ClientCloser;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each room event to the owner of its room key: the room's owners that this gateway can reach
 * and that serve ({@link RingMembers}) hashed on the key — or the owner that holds the key's lease, while it
 * does. While a key has nowhere to go — no owner (the room is woken), the owner's link not up, or
 * the key moving from one owner to another — its events wait here in order, up to the room's wake
 * buffer and wake timeout; past either, they are refused ({@link Refusal}), never left in silence.
 */
public final class OwnerRouter implements RoomEventSink {

  private static final Logger log = LoggerFactory.getLogger(OwnerRouter.class);
  private static final long RETRY_MILLIS = 200;

  /** A key quiet this long has long been evicted by its owner: nothing of it can be in flight. */
  private static final long ROUTE_MEMORY_MILLIS = 60_000;

  private static final long DELETED_MEMORY_MILLIS = 10_000;

  private final String gatewayId;
  private final RoomCatalog catalog;
  private final OwnerDirectory directory;
  private final Function<OwnerEndpoint, OwnerLink> links;
  private final WakeRequester wake;

  /** Where senders of refused messages are told their connection ends: the gateway's own client connections. */
  private final ClientCloser senders;

  private final Metrics metrics;
  private final ScheduledExecutorService timers;
  private final Duration wakeTimeout;
  private final RingMembers members;
  private final ConcurrentHashMap<RoomKey, Waiting> waiting = new ConcurrentHashMap<>();
  private final Object[] stripes = new Object[64];

  /**
   * Rooms the operator deleted, by {@code namespace/room}, with when; forgotten after a few seconds,
   * by when the closes of their clients are done, so a room created again under the name is served.
   */
  private final ConcurrentHashMap<String, Long> deleted = new ConcurrentHashMap<>();

  /** Where each key's events last went, so a change of owner is noticed and fenced. */
  private final ConcurrentHashMap<RoomKey, Route> routes = new ConcurrentHashMap<>();

  /**
   * When each message and connect that had to wait first did, by its future: kept when an owner hands
   * it back, so a key that bounces between a stand-in and a lease it cannot take (the holder out of
   * this gateway's ring, yet alive and renewing) still ends at the wake timeout. Gone once answered.
   */
  private final ConcurrentHashMap<CompletableFuture<?>, Long> firstWaited =
      new ConcurrentHashMap<>();

  private static final class Route {
    final OwnerEndpoint owner;

    /** The owner was named as the key's lease holder rather than picked by the ring. */
    final boolean holder;

    volatile long usedAt = System.currentTimeMillis();

    Route(OwnerEndpoint owner, boolean holder) {
      this.owner = owner;
      this.holder = holder;
    }
  }

  /**
   * @param linkGrace how long an owner's link may be down before the owner leaves the ring
   * @param nanoClock the clock of {@code linkGrace}, the one {@link OwnerLink#notReadySinceNanos()} uses
   */
  public OwnerRouter(
      String gatewayId,
      RoomCatalog catalog,
      OwnerDirectory directory,
      Function<OwnerEndpoint, OwnerLink> links,
      WakeRequester wake,
      ClientCloser senders,
      Metrics metrics,
      ScheduledExecutorService timers,
      Duration wakeTimeout,
      Duration linkGrace,
      LongSupplier nanoClock) {
    this.gatewayId = gatewayId;
    this.catalog = catalog;
    this.directory = directory;
    this.links = links;
    this.wake = wake;
    this.senders = senders;
    this.metrics = metrics;
    this.timers = timers;
    this.wakeTimeout = wakeTimeout;
    this.members = new RingMembers(links, linkGrace, nanoClock);
    for (int i = 0; i < stripes.length; i++) {
      stripes[i] = new Object();
    }
    directory.addListener(this::retryAll);
    timers.scheduleWithFixedDelay(
        this::retryAll, RETRY_MILLIS, RETRY_MILLIS, TimeUnit.MILLISECONDS);
    metrics.gauge(
        "dormouse_gateway_waiting_events",
        "Events waiting for their room's owner",
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

    /** The key's events wait for an owner to confirm it returned all it will (a fence). */
    boolean moving;

    /** A fence is out; set together with {@code moving}, so that only one is. */
    boolean fencing;

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

  /**
   * The operator says the room is deleted (its clients are being closed): its events end here from
   * now on, even while this gateway's catalog still lists it.
   */
  public void roomDeleted(String namespace, String room) {
    deleted.put(namespace + "/" + room, System.currentTimeMillis());
    for (Waiting w : waiting.values()) {
      if (isDeleted(w.key)) {
        List<RoomEvent> ended;
        synchronized (stripe(w.key)) {
          synchronized (w) {
            ended = new ArrayList<>(w.returned);
            ended.addAll(w.fresh);
            forget(w);
          }
        }
        ended.forEach(event -> event.refuse(Refusal.ROOM_DELETED, senders));
      }
    }
  }

  /** How many of the key's events wait here for an owner (the admin API's "waking"). */
  public int waitingEvents(RoomKey key) {
    Waiting w = waiting.get(key);
    return w == null ? 0 : w.size();
  }

  /** The room's instances with events waiting here. */
  public List<String> waitingInstances(String namespace, String room) {
    return waiting.keySet().stream()
        .filter(key -> key.namespace().equals(namespace) && key.room().equals(room))
        .map(RoomKey::instance)
        .toList();
  }

  /** Whether any owner of the room counts in this gateway's ring now: events have somewhere to go. */
  public boolean hasOwner(String namespace, String room) {
    return !members.of(directory.owners(namespace, room)).isEmpty();
  }

  /** When this gateway last sent one of the key's events to an owner, while it remembers (a minute). */
  public Optional<Long> lastRouted(RoomKey key) {
    Route route = routes.get(key);
    return route == null ? Optional.empty() : Optional.of(route.usedAt);
  }

  private boolean isDeleted(RoomKey key) {
    return deleted.containsKey(key.roomPath())
        || catalog.find(key.namespace(), key.room()).isEmpty();
  }

  @Override
  public boolean offer(RoomEvent event) {
    if (isDeleted(event.key())) {
      // Deleted: nothing to wake, and nobody left to tell but the sender.
      event.refuse(Refusal.ROOM_DELETED, senders);
      return true;
    }
    Waiting w;
    boolean kept;
    OwnerEndpoint fenceFrom = null;
    synchronized (stripe(event.key())) {
      w = waiting.get(event.key());
      if (w == null) {
        Route last = routes.get(event.key());
        Optional<OwnerEndpoint> target = target(event.key(), recentHolder(event.key(), last));
        if (target.isPresent() && last != null && !last.owner.equals(target.get())) {
          // The key's owner changed (owners came or went): what the previous owner still holds of
          // this gateway's events must be handled or handed back before anything goes elsewhere.
          fenceFrom = last.owner;
          routes.remove(event.key());
        } else if (target.isPresent() && send(target.get(), event, last != null && last.holder)) {
          return true;
        }
        w = new Waiting(event.key());
        if (fenceFrom != null) {
          startMove(w);
        }
        waiting.put(event.key(), w);
      }
      synchronized (w) {
        kept = keep(w, event);
      }
    }
    // Refusals and retries call out (sockets, other owners): never while holding the locks.
    if (!kept) {
      metrics.error("wake-buffer-full");
      event.refuse(Refusal.BUFFER_FULL, senders);
    }
    if (fenceFrom != null) {
      fence(w, fenceFrom);
    } else if (kept) {
      flush(w);
    }
    return true;
  }

  /**
   * Sends to an owner over its link and remembers where the key's events went.
   *
   * @param holder the owner is the key's lease holder rather than its ring pick
   */
  private boolean send(OwnerEndpoint owner, RoomEvent event, boolean holder) {
    OwnerLink link = links.apply(owner);
    if (!link.isReady() || !link.offer(event)) {
      return false;
    }
    Route route = routes.get(event.key());
    if (route != null && route.owner.equals(owner)) {
      route.usedAt = System.currentTimeMillis();
    } else {
      routes.put(event.key(), new Route(owner, holder));
    }
    return true;
  }

  /**
   * The owner the key's events last went to as its lease holder, while they went there recently
   * enough (within the room's idle timeout) that it may still hold the lease. Without this every
   * event would first try the ring pick and come back from it, for as long as the holder keeps the key.
   */
  private String recentHolder(RoomKey key, Route last) {
    if (last == null || !last.holder) {
      return null;
    }
    long idleMillis =
        catalog.find(key.namespace(), key.room()).map(s -> s.idleTimeout().toMillis()).orElse(0L);
    return System.currentTimeMillis() - last.usedAt < idleMillis ? last.owner.ownerId() : null;
  }

  /** The key's events wait for a fence; true when the caller is to send it (none was out yet). */
  private static boolean startMove(Waiting w) {
    w.moving = true;
    if (w.fencing) {
      return false;
    }
    w.fencing = true;
    return true;
  }

  /** An owner handed an event back: another owner holds the key, or it is draining. */
  public void redirected(OwnerEndpoint from, RoomEvent event, Optional<String> holder) {
    Waiting w;
    boolean startMove;
    synchronized (stripe(event.key())) {
      routes.remove(event.key());
      w = waiting.computeIfAbsent(event.key(), Waiting::new);
      synchronized (w) {
        w.returned.add(event);
        noteWaiting(event);
        startMove = startMove(w);
        w.pinnedOwner = holder.filter(h -> !h.equals(from.ownerId())).orElse(null);
      }
    }
    if (startMove) {
      fence(w, from);
    }
  }

  /**
   * The owner is draining; its link says so from now on, which takes it out of every ring. Each key
   * whose events last went to it moves, fenced. Returns with every fence sent: whatever this gateway
   * sends the owner after the return is a fence.
   */
  public void ownerLeaving(OwnerEndpoint owner) {
    // A send that picked the owner before it left holds its key's stripe: once every stripe has
    // been free, no such send is left, and every later one sees the owner out.
    for (Object stripe : stripes) {
      synchronized (stripe) {
        // only waits for the stripe's current holder
      }
    }
    List<Waiting> moving = new ArrayList<>();
    for (Map.Entry<RoomKey, Route> entry : routes.entrySet()) {
      RoomKey key = entry.getKey();
      if (!entry.getValue().owner.equals(owner)) {
        continue;
      }
      synchronized (stripe(key)) {
        if (routes.remove(key, entry.getValue())) {
          Waiting w = waiting.computeIfAbsent(key, Waiting::new);
          synchronized (w) {
            if (startMove(w)) {
              moving.add(w);
            }
          }
        }
      }
    }
    moving.forEach(w -> fence(w, owner));
  }

  /**
   * Asks {@code from} to confirm it has handled or handed back every earlier event of this gateway
   * for the key; the key's events wait until it has (or its link is gone, which refuses the rest).
   * The caller has set the key moving and fencing ({@link #startMove}).
   */
  private void fence(Waiting w, OwnerEndpoint from) {
    RoomEvent.Fence fence = new RoomEvent.Fence(w.key, gatewayId, new CompletableFuture<>());
    fence
        .passed()
        .whenComplete(
            (ok, error) -> {
              synchronized (w) {
                w.moving = false;
                w.fencing = false;
              }
              timers.schedule(() -> flush(w), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            });
    OwnerLink link = links.apply(from);
    if (!link.isReady() || !link.offer(fence)) {
      fence.passed().complete(null);
    }
  }

  private Object stripe(RoomKey key) {
    return stripes[Math.floorMod(key.hashCode(), stripes.length)];
  }

  /** The link to an owner went down with messages it had not confirmed handled. */
  public void lost(List<RoomEvent.Incoming> unhandled) {
    for (RoomEvent.Incoming message : unhandled) {
      metrics.error("owner-lost");
      message.refuse(Refusal.OWNER_LOST, senders);
    }
  }

  /** Something changed (owners, links): give every waiting key another try. */
  public void retryAll() {
    for (Waiting w : waiting.values()) {
      flush(w);
    }
    long stale = System.currentTimeMillis() - ROUTE_MEMORY_MILLIS;
    routes.values().removeIf(route -> route.usedAt < stale);
    long deletedLongAgo = System.currentTimeMillis() - DELETED_MEMORY_MILLIS;
    deleted.values().removeIf(at -> at < deletedLongAgo);
  }

  /** Queues a new event behind the key's waiting ones; false when the room's wake buffer is full. */
  private boolean keep(Waiting w, RoomEvent event) {
    int limit =
        catalog
            .find(w.key.namespace(), w.key.room())
            .map(RoomSettings::wakeBufferMessages)
            .orElse(0);
    boolean message =
        event instanceof RoomEvent.Incoming
            || event instanceof RoomEvent.Connect
            || event instanceof RoomEvent.Request;
    if (message && w.returned.size() + w.fresh.size() >= Math.max(1, limit)) {
      return false;
    }
    w.fresh.add(event);
    noteWaiting(event);
    return true;
  }

  private void noteWaiting(RoomEvent event) {
    CompletableFuture<?> answer = answerOf(event);
    if (answer != null && firstWaited.putIfAbsent(answer, System.currentTimeMillis()) == null) {
      answer.whenComplete((result, error) -> firstWaited.remove(answer));
    }
  }

  /**
   * What the sender of a message, connect or HTTP request waits on; null for events nobody waits on
   * as long.
   */
  private static CompletableFuture<?> answerOf(RoomEvent event) {
    if (event instanceof RoomEvent.Incoming m) {
      return m.handled();
    }
    if (event instanceof RoomEvent.Request r) {
      return r.response();
    }
    return event instanceof RoomEvent.Connect c ? c.outcome() : null;
  }

  /** When the longest waiting of the key's events first waited, hand-backs and all. */
  private long waitingSince(Waiting w) {
    long since = w.since;
    for (RoomEvent event : w.returned) {
      CompletableFuture<?> answer = answerOf(event);
      since = Math.min(since, answer == null ? since : firstWaited.getOrDefault(answer, since));
    }
    return since;
  }

  private void flush(Waiting w) {
    List<RoomEvent> refused = List.of();
    boolean noOwner = false;
    OwnerEndpoint fenceFrom = null;
    synchronized (stripe(w.key)) {
      synchronized (w) {
        if (w.removed || w.moving) {
          return;
        }
        if (System.currentTimeMillis() - waitingSince(w) > wakeTimeout.toMillis()) {
          // Checked before sending: events that an owner keeps handing back must end too.
          log.warn(
              "room {} found no owner within {}; refusing {} waiting events",
              w.key,
              wakeTimeout,
              w.size());
          metrics.error("wake-timeout");
          refused = new ArrayList<>(w.returned);
          refused.addAll(w.fresh);
          forget(w);
        } else if (w.size() == 0) {
          // A fenced move with nothing behind it (the owner left, as when its room scaled to zero):
          // nothing to send, and no reason to wake the room.
          forget(w);
          return;
        } else {
          Route last = routes.get(w.key);
          String holder = w.pinnedOwner != null ? w.pinnedOwner : recentHolder(w.key, last);
          Optional<OwnerEndpoint> target = target(w.key, holder);
          noOwner = target.isEmpty();
          if (target.isPresent() && last != null && !last.owner.equals(target.get())) {
            // Owners changed while the key waited (its owner's link stayed down past the grace,
            // say): the previous owner is fenced first, as in offer.
            routes.remove(w.key);
            startMove(w);
            fenceFrom = last.owner;
          } else if (target.isPresent()) {
            boolean toHolder = target.get().ownerId().equals(holder);
            if (drainInto(target.get(), w.returned, toHolder)
                && drainInto(target.get(), w.fresh, toHolder)) {
              forget(w);
              return;
            }
          }
        }
      }
    }
    if (fenceFrom != null) {
      fence(w, fenceFrom);
    } else if (noOwner) {
      wake.requestWake(w.key.namespace(), w.key.room());
    }
    refused.forEach(event -> event.refuse(Refusal.WAKE_TIMED_OUT, senders));
  }

  private void forget(Waiting w) {
    w.removed = true;
    waiting.remove(w.key, w);
  }

  private boolean drainInto(OwnerEndpoint owner, Deque<RoomEvent> queue, boolean holder) {
    while (!queue.isEmpty()) {
      if (!send(owner, queue.peek(), holder)) {
        return false;
      }
      queue.poll();
    }
    return true;
  }

  /**
   * The lease holder while it is in the ring, else the key's place on the ring. A holder out of the
   * ring (unreachable, draining) is passed over: the ring pick takes the key once the holder's lease
   * is released or expires, and hands the events back until then.
   */
  private Optional<OwnerEndpoint> target(RoomKey key, String holder) {
    List<OwnerEndpoint> ring = members.of(directory.owners(key.namespace(), key.room()));
    if (holder != null) {
      Optional<OwnerEndpoint> pinned =
          ring.stream().filter(o -> o.ownerId().equals(holder)).findFirst();
      if (pinned.isPresent()) {
        return pinned;
      }
    }
    return OwnerRing.pick(key, ring);
  }
}
