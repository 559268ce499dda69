package dev.dormouse.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.contract.ActivityReport;
import dev.dormouse.crd.v1alpha1.RoomPhase;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.operator.redis.RoomActivity;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomStatusBuilderTest {

  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private static final RoomActivity NOTHING = new RoomActivity(Map.of(), 0, 0);

  private static WebSocketRoom room(long generation, WebSocketRoomStatus status) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(
        new ObjectMetaBuilder()
            .withName("r")
            .withNamespace("ns")
            .withGeneration(generation)
            .build());
    room.setStatus(status);
    return room;
  }

  private static Pod pod(boolean ready) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  private static Condition condition(WebSocketRoomStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void phaseFollowsOwnersAndActiveInstances() {
    RoomStatusBuilder builder = new RoomStatusBuilder(Clock.fixed(T0, ZoneOffset.UTC));
    RoomActivity busy =
        new RoomActivity(
            Map.of("p", new ActivityReport(2, T0.toEpochMilli(), T0.toEpochMilli())), 9, 5);

    assertThat(builder.build(room(1, null), 0, List.of(), NOTHING).getPhase())
        .isEqualTo(RoomPhase.Hibernated);
    assertThat(builder.build(room(1, null), 1, List.of(pod(false)), NOTHING).getPhase())
        .isEqualTo(RoomPhase.Pending);
    assertThat(builder.build(room(1, null), 1, List.of(pod(true)), NOTHING).getPhase())
        .isEqualTo(RoomPhase.Hibernated);
    WebSocketRoomStatus active = builder.build(room(3, null), 1, List.of(pod(true)), busy);
    assertThat(active.getPhase()).isEqualTo(RoomPhase.Active);
    assertThat(active.getConnections()).isEqualTo(9);
    assertThat(active.getInstances().active()).isEqualTo(2);
    assertThat(active.getInstances().hibernated()).isEqualTo(3);
    assertThat(active.getObservedGeneration()).isEqualTo(3);
    assertThat(active.getLastActivityTime()).isEqualTo("2026-01-01T12:00:00Z");
  }

  @Test
  void anUnchangedRoomGetsAnEqualStatusAndKeepsTransitionTimes() {
    WebSocketRoomStatus first =
        new RoomStatusBuilder(Clock.fixed(T0, ZoneOffset.UTC))
            .build(room(1, null), 1, List.of(pod(false)), NOTHING);
    RoomStatusBuilder later =
        new RoomStatusBuilder(Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));

    assertThat(later.build(room(1, first), 1, List.of(pod(false)), NOTHING)).isEqualTo(first);

    WebSocketRoomStatus ready = later.build(room(1, first), 1, List.of(pod(true)), NOTHING);
    assertThat(condition(ready, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(ready, "Ready").getLastTransitionTime()).isEqualTo("2026-01-01T12:01:00Z");
    assertThat(condition(ready, "Reconciled").getLastTransitionTime())
        .isEqualTo("2026-01-01T12:00:00Z");
  }

  @Test
  void theLastActivitySeenOutlivesTheReports() {
    RoomStatusBuilder builder = new RoomStatusBuilder(Clock.fixed(T0, ZoneOffset.UTC));
    RoomActivity busy =
        new RoomActivity(
            Map.of("p", new ActivityReport(0, T0.toEpochMilli(), T0.toEpochMilli())), 0, 0);
    WebSocketRoomStatus seen = builder.build(room(1, null), 1, List.of(pod(true)), busy);

    assertThat(builder.build(room(1, seen), 0, List.of(), NOTHING).getLastActivityTime())
        .isEqualTo("2026-01-01T12:00:00Z");
  }

  @Test
  void aFailureKeepsTheCountsAndSaysWhy() {
    RoomStatusBuilder builder = new RoomStatusBuilder(Clock.fixed(T0, ZoneOffset.UTC));
    WebSocketRoomStatus healthy = builder.build(room(1, null), 1, List.of(pod(true)), NOTHING);

    WebSocketRoomStatus failed =
        builder.failed(
            room(2, healthy),
            new RoomFailure(RoomFailure.REDIS_UNAVAILABLE, "connection refused", true));

    assertThat(failed.getPhase()).isEqualTo(RoomPhase.Degraded);
    assertThat(failed.getOwners()).isEqualTo(healthy.getOwners());
    assertThat(failed.getObservedGeneration()).isEqualTo(2);
    assertThat(condition(failed, "Reconciled").getStatus()).isEqualTo("False");
    assertThat(condition(failed, "Reconciled").getReason()).isEqualTo("RedisUnavailable");
    assertThat(condition(failed, "Ready").getMessage()).isEqualTo("connection refused");
    assertThat(condition(failed, "Hibernated")).isEqualTo(condition(healthy, "Hibernated"));
  }

  @Test
  void codeThatFailsToLoadOnAnOwnerMakesTheRoomDegradedWithItsError() {
    RoomStatusBuilder builder = new RoomStatusBuilder(Clock.fixed(T0, ZoneOffset.UTC));
    long now = T0.toEpochMilli();
    String error = "seed/worker.js:12:5: SyntaxError: Expected ; but found }";
    RoomActivity failing =
        new RoomActivity(
            Map.of(
                "p", new ActivityReport(0, 0, now, error),
                "gone", new ActivityReport(0, 0, now, "an older error")),
            0,
            0);

    WebSocketRoomStatus status = builder.build(room(1, null), 1, List.of(pod(true)), failing);

    assertThat(status.getPhase()).isEqualTo(RoomPhase.Degraded);
    assertThat(condition(status, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Ready").getReason()).isEqualTo("CodeFailed");
    assertThat(condition(status, "Ready").getMessage()).isEqualTo(error);
    assertThat(condition(status, "Reconciled").getStatus()).isEqualTo("True");
  }

  @Test
  void anErrorReportedOnlyByAnOwnerThatIsGoneIsIgnored() {
    RoomStatusBuilder builder = new RoomStatusBuilder(Clock.fixed(T0, ZoneOffset.UTC));
    long now = T0.toEpochMilli();
    RoomActivity replaced =
        new RoomActivity(
            Map.of(
                "p", new ActivityReport(0, 0, now),
                "replaced", new ActivityReport(0, 0, now, "w.js:1:1: SyntaxError")),
            0,
            0);

    WebSocketRoomStatus status = builder.build(room(1, null), 1, List.of(pod(true)), replaced);

    assertThat(status.getPhase()).isEqualTo(RoomPhase.Hibernated);
    assertThat(condition(status, "Ready").getReason()).isEqualTo("OwnersReady");
  }
}
