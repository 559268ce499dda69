package dev.dormouse.operator.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.crd.v1alpha1.Owners;
import dev.dormouse.crd.v1alpha1.WebSocketRoomSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ScalingPolicyTest {

  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private final ScalingPolicy policy = new ScalingPolicy(Clock.fixed(NOW, ZoneOffset.UTC));

  /** A demand built up one fact at a time, starting from nothing known. */
  private record D(int active, Optional<Instant> last, Optional<Instant> wake, int owners) {

    Demand demand() {
      return new Demand(active, last, wake, owners);
    }

    D withActiveInstances(int n) {
      return new D(n, last, wake, owners);
    }

    D withLastActivity(Instant at) {
      return new D(active, Optional.of(at), wake, owners);
    }

    D withWakeRequested(Instant at) {
      return new D(active, last, Optional.of(at), owners);
    }

    D withCurrentOwners(int n) {
      return new D(active, last, wake, n);
    }
  }

  private static D idle() {
    return new D(0, Optional.empty(), Optional.empty(), 0);
  }

  private int desired(WebSocketRoomSpec spec, D demand) {
    return policy.desiredOwners(spec, demand.demand());
  }

  private static WebSocketRoomSpec spec(
      Integer min, Integer max, int perOwner, String scaleToZeroAfter) {
    WebSocketRoomSpec spec = new WebSocketRoomSpec();
    spec.getOwners().setMinReplicas(min);
    spec.getOwners().setMaxReplicas(max);
    spec.getOwners().setActiveInstancesPerOwner(perOwner);
    spec.getHibernation().setScaleToZeroAfter(scaleToZeroAfter);
    return spec;
  }

  @Test
  void aRoomNobodyAskedForHasNoOwners() {
    assertThat(desired(new WebSocketRoomSpec(), idle())).isZero();
  }

  @Test
  void minReplicasAreKeptWhileTheRoomSleeps() {
    assertThat(desired(spec(2, 5, 10, "1m"), idle())).isEqualTo(2);
  }

  @Test
  void aWakeGivesOneOwnerUntilIdleForScaleToZeroAfterSinceTheWake() {
    WebSocketRoomSpec spec = spec(0, 3, 10, "2m");
    D woken = idle().withWakeRequested(NOW.minusSeconds(119));
    D expired = idle().withWakeRequested(NOW.minus(Duration.ofMinutes(2)));

    assertThat(desired(spec, woken)).isEqualTo(1);
    assertThat(desired(spec, expired)).isZero();
  }

  @Test
  void activityAfterTheWakeExtendsTheIdleWindow() {
    D demand =
        idle()
            .withWakeRequested(NOW.minus(Duration.ofMinutes(10)))
            .withLastActivity(NOW.minusSeconds(30))
            .withCurrentOwners(1);

    assertThat(desired(spec(0, 3, 10, "1m"), demand)).isEqualTo(1);
  }

  @Test
  void ownersFollowActiveInstancesRoundedUp() {
    WebSocketRoomSpec spec = spec(0, 10, 100, "5m");

    assertThat(desired(spec, idle().withActiveInstances(1))).isEqualTo(1);
    assertThat(desired(spec, idle().withActiveInstances(100))).isEqualTo(1);
    assertThat(desired(spec, idle().withActiveInstances(101))).isEqualTo(2);
    assertThat(desired(spec, idle().withActiveInstances(950))).isEqualTo(10);
  }

  @Test
  void maxReplicasCapsTheLoad() {
    assertThat(desired(spec(0, 3, 1, "5m"), idle().withActiveInstances(50))).isEqualTo(3);
  }

  @Test
  void maxDefaultsToOneOrTenWithInstances() {
    WebSocketRoomSpec single = spec(0, null, 1, "5m");
    WebSocketRoomSpec withInstances = spec(0, null, 1, "5m");
    withInstances.setInstances(true);
    D busy = idle().withActiveInstances(50);

    assertThat(desired(single, busy)).isEqualTo(Owners.DEFAULT_MAX_REPLICAS);
    assertThat(desired(withInstances, busy)).isEqualTo(Owners.DEFAULT_MAX_REPLICAS_WITH_INSTANCES);
  }

  @Test
  void activeInstancesKeepOwnersWhateverTheLastActivity() {
    D demand = idle().withActiveInstances(3).withLastActivity(NOW.minus(Duration.ofHours(1)));

    assertThat(desired(spec(0, 2, 10, "1m"), demand)).isEqualTo(1);
  }

  @Test
  void scaleToZeroHappensExactlyAtTheIdleLimit() {
    WebSocketRoomSpec spec = spec(0, 2, 10, "2s");

    assertThat(desired(spec, idle().withLastActivity(NOW.minusMillis(1999)).withCurrentOwners(1)))
        .isEqualTo(1);
    assertThat(desired(spec, idle().withLastActivity(NOW.minusSeconds(2)).withCurrentOwners(1)))
        .isZero();
  }

  @Test
  void neverKeepsRunningOwnersButDoesNotStartASleepingRoom() {
    WebSocketRoomSpec spec = spec(0, 2, 10, "never");
    D longIdle = idle().withLastActivity(NOW.minus(Duration.ofDays(3)));

    assertThat(desired(spec, longIdle.withCurrentOwners(1))).isEqualTo(1);
    assertThat(desired(spec, longIdle)).isZero();
    assertThat(desired(spec, idle().withWakeRequested(NOW.minus(Duration.ofDays(3))))).isEqualTo(1);
  }

  @Test
  void minReplicasAboveZeroIsKeptAfterTheIdlePeriod() {
    D idle = idle().withLastActivity(NOW.minus(Duration.ofHours(1))).withCurrentOwners(3);

    assertThat(desired(spec(1, 3, 10, "1m"), idle)).isEqualTo(1);
  }

  @Test
  void aWakeInTheFutureCountsAsNow() {
    D skewed = idle().withWakeRequested(NOW.plusSeconds(5));

    assertThat(desired(spec(0, 1, 10, "1s"), skewed)).isEqualTo(1);
  }

  @Test
  void scaleDownDrainsTheEmptiestOwnersFirst() {
    List<OwnerLoad> owners =
        List.of(
            new OwnerLoad("a", true, 5),
            new OwnerLoad("b", true, 0),
            new OwnerLoad("c", true, 2),
            new OwnerLoad("d", false, 0));

    assertThat(policy.ownersToRemove(owners, 2))
        .extracting(OwnerLoad::ownerId)
        .containsExactly("d", "b");
    assertThat(policy.ownersToRemove(owners, 1))
        .extracting(OwnerLoad::ownerId)
        .containsExactly("d", "b", "c");
  }

  @Test
  void nothingIsRemovedWhenThereAreNotTooMany() {
    List<OwnerLoad> owners = List.of(new OwnerLoad("a", true, 1));

    assertThat(policy.ownersToRemove(owners, 1)).isEmpty();
    assertThat(policy.ownersToRemove(owners, 3)).isEmpty();
  }
}
