package dev.dormouse.adminapi;

import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.contract.ActivityReport;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRouter;
import dev.dormouse.store.HistoryView;
import dev.dormouse.store.InstanceHistory;
import dev.dormouse.store.InstanceTransition;
import dev.dormouse.store.RoomInspection;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The rooms and instances as the admin API shows them: the catalog's rooms, what Redis holds of
 * their instances (connections, lease, alarm, owners' activity) and what this gateway knows (events
 * waiting, owners reachable) and their sleeps and wakes ({@link InstanceHistory}). Reads Redis
 * synchronously: call it off the I/O threads.
 */
public final class InstanceStates {

  /** The transitions an instance's timeline shows. */
  static final int TIMELINE = 20;

  /**
   * Instances a listing ({@link #rooms()}, {@link #room}) reads the history of, in its order: one
   * read each, and the page polls the listing every second. The rest show none; asking for the
   * instance itself always reads it.
   */
  static final int LISTED_HISTORIES = 100;

  private final RoomCatalog catalog;
  private final RoomInspection redis;
  private final InstanceHistory history;
  private final OwnerRouter router;

  public InstanceStates(
      RoomCatalog catalog, RoomInspection redis, InstanceHistory history, OwnerRouter router) {
    this.catalog = catalog;
    this.redis = redis;
    this.history = history;
    this.router = router;
  }

  /** Every room of the catalog, by namespace and name. */
  public List<RoomView> rooms() {
    HistoryBudget budget = new HistoryBudget(LISTED_HISTORIES);
    return catalog.all().stream()
        .sorted(Comparator.comparing(RoomSettings::namespace).thenComparing(RoomSettings::name))
        .map(room -> room(room, budget))
        .toList();
  }

  /** The room, or empty when the catalog has no such room. */
  public Optional<RoomView> room(String namespace, String room) {
    return catalog
        .find(namespace, room)
        .map(settings -> room(settings, new HistoryBudget(LISTED_HISTORIES)));
  }

  /** The instance, or empty when its room is unknown or nothing of it is known. */
  public Optional<InstanceView> instance(RoomKey key) {
    Optional<RoomSettings> room = catalog.find(key.namespace(), key.room());
    if (room.isEmpty() || room.get().instances() == key.instance().isEmpty()) {
      return Optional.empty();
    }
    InstanceView view = instance(key, router.hasOwner(key.namespace(), key.room()), true);
    if (key.instance().isEmpty()) {
      return Optional.of(view); // a room without named instances always has its one
    }
    boolean known =
        view.connections() > 0
            || view.owner() != null
            || view.alarm() != null
            || view.waitingEvents() > 0
            || redis.instances(key.namespace(), key.room()).containsKey(key.instance());
    return known ? Optional.of(view) : Optional.empty();
  }

  /** Whether the key's room has an owner this gateway can send events to. */
  public boolean hasOwner(RoomKey key) {
    return router.hasOwner(key.namespace(), key.room());
  }

  private RoomView room(RoomSettings room, HistoryBudget budget) {
    boolean hasOwner = router.hasOwner(room.namespace(), room.name());
    Collection<ActivityReport> reports = redis.activity(room.namespace(), room.name()).values();
    long now = System.currentTimeMillis();
    int active =
        reports.stream()
            .filter(r -> !r.isStale(now))
            .mapToInt(ActivityReport::activeInstances)
            .sum();
    long lastActivity = reports.stream().mapToLong(ActivityReport::lastActivity).max().orElse(0);
    TreeSet<String> names = new TreeSet<>();
    if (room.instances()) {
      names.addAll(redis.instances(room.namespace(), room.name()).keySet());
      names.remove("");
    } else {
      names.add("");
    }
    names.addAll(router.waitingInstances(room.namespace(), room.name()));
    List<InstanceView> instances = new ArrayList<>();
    for (String name : names) {
      instances.add(
          instance(new RoomKey(room.namespace(), room.name(), name), hasOwner, budget.take()));
    }
    return new RoomView(
        room.namespace(),
        room.name(),
        room.handler(),
        room.instances(),
        hasOwner,
        active,
        lastActivity == 0 ? null : lastActivity,
        instances);
  }

  private InstanceView instance(RoomKey key, boolean roomHasOwner, boolean withHistory) {
    RoomInspection.InstanceRecord record = redis.instance(key);
    int waiting = router.waitingEvents(key);
    HistoryView past = withHistory ? history.read(key, TIMELINE) : null;
    return new InstanceView(
        key.namespace(),
        key.room(),
        key.instance(),
        InstanceState.of(waiting, record.leaseHolder().isPresent(), roomHasOwner),
        record.connectionsByGateway().values().stream().mapToInt(Integer::intValue).sum(),
        record.connectionsByGateway(),
        router.lastRouted(key).orElse(null),
        record.leaseHolder().orElse(null),
        record.alarmDueMillis().orElse(null),
        waiting,
        past == null ? null : past.wakes(),
        past == null ? null : lastRevival(past),
        past == null ? null : past.recent().stream().map(TransitionView::of).toList());
  }

  private static Double lastRevival(HistoryView past) {
    for (int i = past.recent().size() - 1; i >= 0; i--) {
      InstanceTransition transition = past.recent().get(i);
      if (transition.revival().isPresent()) {
        return TransitionView.millis(transition.revival().get());
      }
    }
    return null;
  }

  /** How many more instances a listing reads the history of. */
  private static final class HistoryBudget {

    private int left;

    HistoryBudget(int reads) {
      left = reads;
    }

    boolean take() {
      return left-- > 0;
    }
  }
}
