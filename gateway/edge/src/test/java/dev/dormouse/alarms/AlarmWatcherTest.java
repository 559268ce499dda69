package dev.dormouse.alarms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.config.StaticRoomCatalog;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.AlarmIndex;
import dev.dormouse.store.StoreUnavailableException;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What the watcher does with what the index has due: routes it, drops a deleted room's, waits out Redis. */
class AlarmWatcherTest {

  static final long NOW = 1_800_000_000_000L;
  static final RoomKey LOBBY = new RoomKey("default", "lobby", "a");
  static final RoomKey HALL = new RoomKey("other", "hall", "b");
  static final RoomKey GONE = new RoomKey("default", "gone", "c");

  /** An index in memory: room key → due or claimed-until millis. */
  final class Index implements AlarmIndex {
    final Map<RoomKey, Long> entries =
        new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    final List<String> polled = new ArrayList<>();
    boolean down;

    @Override
    public List<RoomKey> claimDue(String namespace, long nowMillis, int limit) {
      polled.add(namespace);
      if (down) {
        throw new StoreUnavailableException("Redis is down (fake)", null);
      }
      List<RoomKey> due =
          entries.entrySet().stream()
              .filter(e -> e.getKey().namespace().equals(namespace) && e.getValue() <= nowMillis)
              .map(Map.Entry::getKey)
              .limit(limit)
              .toList();
      due.forEach(key -> entries.put(key, AlarmIndex.claimedUntil(nowMillis)));
      return due;
    }

    @Override
    public void forget(RoomKey key, long claimedUntil) {
      entries.remove(key, claimedUntil);
    }
  }

  final Index index = new Index();
  final List<RoomEvent> routed = new ArrayList<>();
  final Metrics metrics = new Metrics();
  long now = NOW;

  static RoomSettings room(String namespace, String name) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    room.getSpec().setInstances(true);
    return RoomSettings.of(room);
  }

  AlarmWatcher watcher() {
    return new AlarmWatcher(
        index,
        new StaticRoomCatalog(List.of(room("default", "lobby"), room("other", "hall"))),
        event -> routed.add(event),
        "gw-1",
        metrics,
        () -> now);
  }

  @Test
  void dueAlarmsOfEveryNamespaceServedGoToTheirOwnersOnceWhileClaimed() {
    index.entries.put(LOBBY, NOW - 5);
    index.entries.put(HALL, NOW);
    index.entries.put(new RoomKey("default", "lobby", "later"), NOW + 60_000);
    AlarmWatcher watcher = watcher();

    watcher.poll();
    watcher.poll();

    assertThat(index.polled).containsOnly("default", "other");
    assertThat(routed)
        .containsExactlyInAnyOrder(
            new RoomEvent.Alarm(LOBBY, "gw-1"), new RoomEvent.Alarm(HALL, "gw-1"));
    now = AlarmIndex.claimedUntil(NOW);
    watcher.poll();
    assertThat(routed).as("not settled by the claim timeout: raised again").hasSize(4);
  }

  @Test
  void aDeletedRoomsAlarmIsDroppedNotRouted() {
    index.entries.put(GONE, NOW);

    watcher().poll();

    assertThat(routed).isEmpty();
    assertThat(index.entries).doesNotContainKey(GONE);
  }

  @Test
  void alarmsDueWhileRedisIsDownAreRaisedOnceItAnswers() {
    index.entries.put(LOBBY, NOW);
    AlarmWatcher watcher = watcher();
    index.down = true;
    watcher.poll();
    assertThat(routed).isEmpty();

    index.down = false;
    watcher.poll();
    assertThat(routed).containsExactly(new RoomEvent.Alarm(LOBBY, "gw-1"));
  }

  @Test
  void moreDueThanOneBatchAreAllRaisedInOnePoll() {
    for (int i = 0; i < AlarmWatcher.BATCH * 2 + 5; i++) {
      index.entries.put(new RoomKey("default", "lobby", "i" + i), NOW);
    }

    watcher().poll();

    assertThat(routed).hasSize(AlarmWatcher.BATCH * 2 + 5);
  }
}
