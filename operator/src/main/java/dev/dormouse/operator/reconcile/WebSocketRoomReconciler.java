package dev.dormouse.operator.reconcile;

import dev.dormouse.contract.Annotations;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.crd.v1alpha1.WebSocketRoomValidator;
import dev.dormouse.operator.pods.OwnerPods;
import dev.dormouse.operator.redis.ActivityReader;
import dev.dormouse.operator.redis.RoomActivity;
import dev.dormouse.operator.redis.RoomKeyCleaner;
import dev.dormouse.operator.scaling.Demand;
import dev.dormouse.operator.scaling.ScalingPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reconciler of WebSocketRoom: validates the spec, sizes the owner pods from the activity
 * the owners report in Redis, rolls outdated owners, writes status, and forgets the room in Redis
 * when it is deleted.
 */
public class WebSocketRoomReconciler implements Reconciler<WebSocketRoom>, Cleaner<WebSocketRoom> {

  public static final String NAME = "websocketroom";

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketRoomReconciler.class);

  private final OwnerPods ownerPods;
  private final OwnerScaler scaler;
  private final ScalingPolicy policy;
  private final ActivityReader activityReader;
  private final RoomKeyCleaner keyCleaner;
  private final RoomStatusBuilder statusBuilder;
  private final RoomEvents events;
  private final OwnerMetrics metrics;
  private final CodeFailureEvents codeFailures;

  public WebSocketRoomReconciler(
      OwnerPods ownerPods,
      OwnerScaler scaler,
      ScalingPolicy policy,
      ActivityReader activityReader,
      RoomKeyCleaner keyCleaner,
      RoomStatusBuilder statusBuilder,
      RoomEvents events,
      OwnerMetrics metrics) {
    this.ownerPods = ownerPods;
    this.scaler = scaler;
    this.policy = policy;
    this.activityReader = activityReader;
    this.keyCleaner = keyCleaner;
    this.statusBuilder = statusBuilder;
    this.events = events;
    this.metrics = metrics;
    this.codeFailures = new CodeFailureEvents(events);
  }

  /** Pod changes, readiness above all, reach the room through the pods' owner reference. */
  @Override
  public List<EventSource<?, WebSocketRoom>> prepareEventSources(
      EventSourceContext<WebSocketRoom> context) {
    var config =
        InformerEventSourceConfiguration.from(Pod.class, WebSocketRoom.class)
            .withName("owner-pods")
            .withLabelSelector(Annotations.ROLE_LABEL + "=" + Annotations.ROLE_OWNER)
            .build();
    return List.of(new InformerEventSource<>(config, context));
  }

  @Override
  public UpdateControl<WebSocketRoom> reconcile(
      WebSocketRoom room, Context<WebSocketRoom> context) {
    WebSocketRoomValidator.requireValid(room);
    String namespace = room.getMetadata().getNamespace();
    String name = room.getMetadata().getName();

    List<Pod> live = ownerPods.live(room);
    RoomActivity activity = activityReader.read(namespace, name);
    Demand demand =
        new Demand(
            activity.activeInstancesOn(live.stream().map(OwnerPods::name).toList()),
            RoomStatusBuilder.lastActivity(activity, room.getStatus()),
            wakeRequested(room),
            live.size());
    int desired = policy.desiredOwners(room.getSpec(), demand);
    if (live.isEmpty() && desired > 0) {
      // The first line of a wake in this log: when the operator acted on a gateway's request.
      LOG.info(
          "{}/{}: creating {} owner pod(s){}",
          namespace,
          name,
          desired,
          demand.wakeRequested().map(at -> " (wake requested at " + at + ")").orElse(""));
    }

    OwnerChanges changes = scaler.scale(room, live, desired, activity);
    metrics.record(changes);
    announce(room, changes, demand);

    WebSocketRoomStatus status = statusBuilder.build(room, desired, changes.after(), activity);
    codeFailures.observe(room, status);
    if (status.equals(room.getStatus())) {
      return UpdateControl.noUpdate();
    }
    room.setStatus(status);
    return UpdateControl.patchStatus(room);
  }

  @Override
  public ErrorStatusUpdateControl<WebSocketRoom> updateErrorStatus(
      WebSocketRoom room, Context<WebSocketRoom> context, Exception e) {
    RoomFailure failure = RoomFailure.of(e);
    WebSocketRoomStatus status = statusBuilder.failed(room, failure);
    // Periodic reconciles of a broken room must not repeat the same Warning every few seconds.
    if (!sameReconciledCondition(room.getStatus(), status)) {
      events.warning(room, failure.reason(), failure.message());
    } else {
      LOG.debug(
          "{}/{} still failing: {}",
          room.getMetadata().getNamespace(),
          room.getMetadata().getName(),
          failure.message());
    }
    ErrorStatusUpdateControl<WebSocketRoom> control;
    if (status.equals(room.getStatus())) {
      control = ErrorStatusUpdateControl.noStatusUpdate();
    } else {
      room.setStatus(status);
      control = ErrorStatusUpdateControl.patchStatus(room);
    }
    return failure.retryable() ? control : control.withNoRetry();
  }

  /**
   * The API server's garbage collector would remove the owner pods through their owner reference,
   * but deleting them here drains them at once and works where no collector runs.
   */
  @Override
  public DeleteControl cleanup(WebSocketRoom room, Context<WebSocketRoom> context) {
    String namespace = room.getMetadata().getNamespace();
    String name = room.getMetadata().getName();
    ownerPods.delete(ownerPods.all(namespace, name));
    long removed = keyCleaner.clean(namespace, name);
    codeFailures.forget(room);
    LOG.info(
        "{}/{} deleted: owner pods removed, {} Redis key(s) removed, gateways told",
        namespace,
        name,
        removed);
    return DeleteControl.defaultDelete();
  }

  private void announce(WebSocketRoom room, OwnerChanges changes, Demand demand) {
    int before = changes.before().size();
    int after = changes.after().size();
    if (changes.replaced()) {
      events.normal(
          room,
          "RollingUpdate",
          "Replaced outdated owner "
              + changes.removed().get(0)
              + " with "
              + changes.created().get(0));
    } else if (!changes.created().isEmpty()) {
      boolean woken = before == 0 && demand.wakeRequested().isPresent();
      events.normal(
          room,
          woken ? "Woken" : "ScaledUp",
          "Owners "
              + before
              + " -> "
              + after
              + " ("
              + demand.activeInstances()
              + " active instance(s)"
              + demand.wakeRequested().map(at -> ", wake requested at " + at).orElse("")
              + ")");
    } else if (!changes.removed().isEmpty()) {
      events.normal(
          room,
          after == 0 ? "Hibernated" : "ScaledDown",
          "Owners "
              + before
              + " -> "
              + after
              + ", draining "
              + String.join(", ", changes.removed()));
    }
  }

  private static Optional<Instant> wakeRequested(WebSocketRoom room) {
    var annotations = room.getMetadata().getAnnotations();
    String text = annotations == null ? null : annotations.get(Annotations.WAKE_REQUESTED);
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text.trim()).toInstant());
    } catch (DateTimeParseException e) {
      LOG.warn(
          "{}/{}: ignoring {}={}: not an RFC 3339 time",
          room.getMetadata().getNamespace(),
          room.getMetadata().getName(),
          Annotations.WAKE_REQUESTED,
          text);
      return Optional.empty();
    }
  }

  private static boolean sameReconciledCondition(
      WebSocketRoomStatus previous, WebSocketRoomStatus next) {
    Optional<Condition> before = reconciled(previous);
    Optional<Condition> after = reconciled(next);
    return before.isPresent()
        && after.isPresent()
        && Objects.equals(before.get().getStatus(), after.get().getStatus())
        && Objects.equals(before.get().getReason(), after.get().getReason())
        && Objects.equals(before.get().getMessage(), after.get().getMessage());
  }

  private static Optional<Condition> reconciled(WebSocketRoomStatus status) {
    return Optional.ofNullable(status)
        .map(WebSocketRoomStatus::getConditions)
        .orElse(List.of())
        .stream()
        .filter(c -> WebSocketRoomStatus.CONDITION_RECONCILED.equals(c.getType()))
        .findFirst();
  }
}
