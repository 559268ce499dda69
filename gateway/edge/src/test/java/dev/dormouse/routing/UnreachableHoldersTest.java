package dev.dormouse.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.room.RoomKey;
import dev.dormouse.store.LeaseHolders;
import dev.dormouse.store.StoreUnavailableException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnreachableHoldersTest {

  static final RoomKey ON_A = new RoomKey("default", "lobby", "on-a");
  static final RoomKey ON_B = new RoomKey("default", "lobby", "on-b");
  static final RoomKey ASLEEP = new RoomKey("default", "lobby", "asleep");
  static final Duration AFTER = Duration.ofSeconds(15);

  final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  final OwnerRouterTest.FakeLink linkA = new OwnerRouterTest.FakeLink();
  final OwnerRouterTest.FakeLink linkB = new OwnerRouterTest.FakeLink();
  final Map<String, OwnerLink> links = new HashMap<>(Map.of("a", linkA, "b", linkB));
  final Map<RoomKey, String> leases = new HashMap<>(Map.of(ON_A, "a", ON_B, "b"));
  final AtomicInteger reads = new AtomicInteger();
  final List<RoomKey> closed = new CopyOnWriteArrayList<>();
  volatile boolean redisDown;

  final LeaseHolders holders =
      new LeaseHolders() {
        @Override
        public CompletionStage<Map<RoomKey, String>> holders(Collection<RoomKey> keys) {
          reads.incrementAndGet();
          if (redisDown) {
            return CompletableFuture.failedFuture(new StoreUnavailableException("down", null));
          }
          Map<RoomKey, String> held = new HashMap<>();
          keys.stream().filter(leases::containsKey).forEach(k -> held.put(k, leases.get(k)));
          return CompletableFuture.completedFuture(held);
        }
      };

  final UnreachableHolders check =
      new UnreachableHolders(
          () -> Set.of(ON_A, ON_B, ASLEEP), holders, () -> links, now::get, AFTER, closed::add);

  void linkADownFor(Duration down) {
    linkA.ready = false;
    linkA.notReadySince = now.get() - down.toNanos();
  }

  @Test
  void whileEveryLinkIsUpNothingIsReadAndNothingClosed() {
    check.check().toCompletableFuture().join();

    assertThat(reads).hasValue(0);
    assertThat(closed).isEmpty();
  }

  @Test
  void aLinkDownForLessThanTheBoundClosesNothing() {
    linkADownFor(AFTER.minusSeconds(1));

    check.check().toCompletableFuture().join();

    assertThat(closed).isEmpty();
  }

  @Test
  void theRoomsWhoseLeaseHolderIsOutOfReachPastTheBoundAreClosedAndNoOthers() {
    linkADownFor(AFTER.plusSeconds(1));

    check.check().toCompletableFuture().join();

    assertThat(closed).containsExactly(ON_A);
  }

  @Test
  void aRoomWhoseLeaseWentElsewhereOrExpiredStaysOpen() {
    linkADownFor(AFTER.plusSeconds(1));
    leases.put(ON_A, "b"); // another owner took it: the old one died, or let it go
    leases.remove(ON_B);

    check.check().toCompletableFuture().join();

    assertThat(closed).isEmpty();
  }

  @Test
  void aHolderThisGatewayHasNoLinkToIsNoneOfItsBusiness() {
    linkADownFor(AFTER.plusSeconds(1));
    leases.put(ON_B, "c");

    check.check().toCompletableFuture().join();

    assertThat(closed).containsExactly(ON_A);
  }

  @Test
  void whenTheHoldersCannotBeReadNothingIsClosedAndTheNextRoundTriesAgain() {
    linkADownFor(AFTER.plusSeconds(1));
    redisDown = true;

    check.check().toCompletableFuture().join();
    assertThat(closed).isEmpty();

    redisDown = false;
    check.check().toCompletableFuture().join();
    assertThat(closed).containsExactly(ON_A);
  }
}
