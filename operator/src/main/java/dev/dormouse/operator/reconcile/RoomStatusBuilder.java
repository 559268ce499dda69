package dev.dormouse.operator.reconcile;

import dev.dormouse.crd.v1alpha1.InstanceCounts;
import dev.dormouse.crd.v1alpha1.OwnerCounts;
import dev.dormouse.crd.v1alpha1.RoomPhase;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.operator.pods.OwnerPods;
import dev.dormouse.operator.redis.RoomActivity;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Builds a room's status from scratch on every reconcile. Only a condition's lastTransitionTime is
 * carried over from the previous status, when its status did not change, so that an unchanged room
 * produces an equal status and no write.
 */
public final class RoomStatusBuilder {

  /** Ready=False reason of a room whose owners cannot load its code. */
  public static final String CODE_FAILED = "CodeFailed";

  private static final String TRUE = "True";
  private static final String FALSE = "False";
  private static final String UNKNOWN = "Unknown";

  private final Clock clock;

  public RoomStatusBuilder(Clock clock) {
    this.clock = clock;
  }

  public WebSocketRoomStatus build(
      WebSocketRoom room, int desired, List<Pod> owners, RoomActivity activity) {
    WebSocketRoomStatus previous = room.getStatus();
    int ready = (int) owners.stream().filter(OwnerPods::isReady).count();
    int active = activity.activeInstances();
    // Only the owners that run now: a fixed room must not stay Degraded while a replaced owner's
    // report ages out.
    Optional<String> codeError =
        activity.codeErrorOn(owners.stream().map(OwnerPods::name).toList());

    WebSocketRoomStatus status = new WebSocketRoomStatus();
    status.setPhase(codeError.isPresent() ? RoomPhase.Degraded : phase(desired, ready, active));
    status.setOwners(new OwnerCounts(desired, ready));
    status.setConnections(activity.connections());
    status.setInstances(
        new InstanceCounts(active, Math.max(0, activity.instancesWithConnections() - active)));
    status.setLastActivityTime(
        lastActivity(activity, previous).map(RoomStatusBuilder::format).orElse(null));
    status.setObservedGeneration(room.getMetadata().getGeneration());
    long generation = generation(room);
    status.setConditions(
        List.of(
            carryOver(
                previous,
                codeError
                    .map(
                        message ->
                            condition(
                                WebSocketRoomStatus.CONDITION_READY,
                                FALSE,
                                CODE_FAILED,
                                message,
                                generation))
                    .orElseGet(() -> readyCondition(desired, ready, generation))),
            carryOver(previous, hibernatedCondition(desired, active, generation)),
            carryOver(
                previous,
                condition(
                    WebSocketRoomStatus.CONDITION_RECONCILED,
                    TRUE,
                    "Reconciled",
                    "Spec is valid; " + desired + " owner(s) wanted",
                    generation))));
    return status;
  }

  /** The last known counts stay; phase and conditions say what went wrong. */
  public WebSocketRoomStatus failed(WebSocketRoom room, RoomFailure failure) {
    Optional<WebSocketRoomStatus> previous = Optional.ofNullable(room.getStatus());
    long generation = generation(room);
    WebSocketRoomStatus status = new WebSocketRoomStatus();
    status.setPhase(RoomPhase.Degraded);
    status.setOwners(previous.map(WebSocketRoomStatus::getOwners).orElse(null));
    status.setConnections(previous.map(WebSocketRoomStatus::getConnections).orElse(null));
    status.setInstances(previous.map(WebSocketRoomStatus::getInstances).orElse(null));
    status.setLastActivityTime(previous.map(WebSocketRoomStatus::getLastActivityTime).orElse(null));
    status.setObservedGeneration(room.getMetadata().getGeneration());
    Condition hibernated =
        previous
            .flatMap(s -> find(s, WebSocketRoomStatus.CONDITION_HIBERNATED))
            .orElse(
                condition(
                    WebSocketRoomStatus.CONDITION_HIBERNATED,
                    UNKNOWN,
                    failure.reason(),
                    "Not known while the room cannot be reconciled",
                    generation));
    status.setConditions(
        List.of(
            carryOver(
                room.getStatus(),
                condition(
                    WebSocketRoomStatus.CONDITION_READY,
                    FALSE,
                    failure.reason(),
                    failure.message(),
                    generation)),
            hibernated,
            carryOver(
                room.getStatus(),
                condition(
                    WebSocketRoomStatus.CONDITION_RECONCILED,
                    FALSE,
                    failure.reason(),
                    failure.message(),
                    generation))));
    return status;
  }

  private static RoomPhase phase(int desired, int ready, int active) {
    if (active > 0) {
      return RoomPhase.Active;
    }
    return desired > 0 && ready == 0 ? RoomPhase.Pending : RoomPhase.Hibernated;
  }

  private static Condition readyCondition(int desired, int ready, long generation) {
    String message = ready + " of " + desired + " owner(s) ready";
    if (ready >= desired) {
      return condition(
          WebSocketRoomStatus.CONDITION_READY,
          TRUE,
          desired == 0 ? "Sleeping" : "OwnersReady",
          desired == 0 ? "No owner needed; a gateway wakes the room on demand" : message,
          generation);
    }
    return condition(
        WebSocketRoomStatus.CONDITION_READY, FALSE, "OwnersStarting", message, generation);
  }

  private static Condition hibernatedCondition(int desired, int active, long generation) {
    if (active > 0) {
      return condition(
          WebSocketRoomStatus.CONDITION_HIBERNATED,
          FALSE,
          "InstancesActive",
          active + " instance(s) in memory",
          generation);
    }
    return desired == 0
        ? condition(
            WebSocketRoomStatus.CONDITION_HIBERNATED,
            TRUE,
            "ScaledToZero",
            "No instance in memory and no owner pod",
            generation)
        : condition(
            WebSocketRoomStatus.CONDITION_HIBERNATED,
            TRUE,
            "NoActiveInstances",
            "No instance in memory",
            generation);
  }

  private Condition carryOver(WebSocketRoomStatus previous, Condition fresh) {
    String since =
        Optional.ofNullable(previous)
            .flatMap(p -> find(p, fresh.getType()))
            .filter(
                old ->
                    old.getStatus().equals(fresh.getStatus())
                        && old.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .orElseGet(() -> format(clock.instant()));
    fresh.setLastTransitionTime(since);
    return fresh;
  }

  static Optional<Condition> find(WebSocketRoomStatus status, String type) {
    return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  private static Condition condition(
      String type, String status, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }

  /** Activity reports disappear with their owners, so the last activity seen is kept in status. */
  static Optional<Instant> lastActivity(RoomActivity activity, WebSocketRoomStatus previous) {
    Optional<Instant> recorded =
        Optional.ofNullable(previous)
            .map(WebSocketRoomStatus::getLastActivityTime)
            .flatMap(RoomStatusBuilder::parse);
    return Stream.of(activity.lastActivity(), recorded)
        .flatMap(Optional::stream)
        .max(Instant::compareTo);
  }

  private static Optional<Instant> parse(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static long generation(WebSocketRoom room) {
    Long generation = room.getMetadata().getGeneration();
    return generation == null ? 0 : generation;
  }

  static String format(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
