package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reaper's decisions against gateway records in memory, including a Redis that fails under it. */
class DeadGatewayReaperTest {

  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration DEAD_AFTER = Duration.ofSeconds(1);

  private final FakeGatewayRecords records = new FakeGatewayRecords();
  private final List<RoomEvent.Close> closes = new CopyOnWriteArrayList<>();
  private final List<RoomKey> countedOut = new CopyOnWriteArrayList<>();
  private DeadGatewayReaper reaper;

  @AfterEach
  void stop() {
    reaper.close();
  }

  /** The room handles every close at once. */
  private void startReaper() {
    reaper =
        new DeadGatewayReaper(
                records,
                countedOut::add,
                "gw-live",
                event -> {
                  RoomEvent.Close close = (RoomEvent.Close) event;
                  closes.add(close);
                  close.done().complete(null);
                  return true;
                },
                new Metrics(),
                INTERVAL,
                DEAD_AFTER)
            .start();
  }

  @Test
  void aMemberNoGatewayWroteIsDroppedWithoutAClose() {
    records.deadGateway("gw-dead", "garbage", "ns/lobby\tc1");

    startReaper();

    await().until(() -> !records.known("gw-dead"));
    assertThat(closes).extracting(RoomEvent.Close::connectionId).containsExactly("c1");
    assertThat(countedOut).containsExactly(RoomKey.of("ns", "lobby"));
  }

  @Test
  void aConnectionWhoseRemovalFailedIsClosedAgainAndCountedOutOnce() {
    records.deadGateway("gw-dead", "ns/lobby\tc1");
    records.failNextRemovalOf("ns/lobby\tc1");

    startReaper();

    await().until(() -> !records.known("gw-dead"));
    assertThat(closes).extracting(RoomEvent.Close::connectionId).containsExactly("c1", "c1");
    assertThat(countedOut).containsExactly(RoomKey.of("ns", "lobby"));
  }

  @Test
  void afterAnOutageEveryHeartbeatLooksOldButNobodyIsReapedUntilDeadAfterHasPassedAgain() {
    records.deadGateway("gw-dead", "ns/lobby\tc1");
    records.down(true);
    startReaper();
    await().until(() -> records.failedCalls() >= 5);

    records.down(false);

    // The heartbeat is a minute old, yet this reaper has watched it for less than DEAD_AFTER.
    await()
        .during(DEAD_AFTER.dividedBy(2))
        .atMost(DEAD_AFTER.multipliedBy(5))
        .until(closes::isEmpty);
    await().atMost(DEAD_AFTER.multipliedBy(5)).until(() -> !records.known("gw-dead"));
    assertThat(closes).extracting(RoomEvent.Close::connectionId).containsExactly("c1");
    assertThat(records.members("gw-dead")).isEmpty();
  }
}
