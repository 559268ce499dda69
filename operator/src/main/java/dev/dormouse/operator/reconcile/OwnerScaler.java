package dev.dormouse.operator.reconcile;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.operator.pods.OwnerPodFactory;
import dev.dormouse.operator.pods.OwnerPods;
import dev.dormouse.operator.redis.RoomActivity;
import dev.dormouse.operator.scaling.OwnerLoad;
import dev.dormouse.operator.scaling.ScalingPolicy;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Brings a room's owner pods to the desired count, then rolls outdated ones one at a time. */
public final class OwnerScaler {

  private final OwnerPods ownerPods;
  private final OwnerPodFactory factory;
  private final ScalingPolicy policy;

  public OwnerScaler(OwnerPods ownerPods, OwnerPodFactory factory, ScalingPolicy policy) {
    this.ownerPods = ownerPods;
    this.factory = factory;
    this.policy = policy;
  }

  public OwnerChanges scale(
      WebSocketRoom room, List<Pod> live, int desired, RoomActivity activity) {
    List<Pod> after = new ArrayList<>(live);
    List<String> created = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    boolean rolled = false;
    if (live.size() < desired) {
      for (int i = live.size(); i < desired; i++) {
        Pod pod = ownerPods.create(room);
        after.add(pod);
        created.add(OwnerPods.name(pod));
      }
    } else if (live.size() > desired) {
      List<Pod> drained = drainOrder(live, desired, activity);
      ownerPods.delete(drained);
      after.removeAll(drained);
      drained.forEach(pod -> removed.add(OwnerPods.name(pod)));
    } else {
      Optional<Pod> outdated = nextToRoll(room, live, activity);
      if (outdated.isPresent()) {
        ownerPods.delete(List.of(outdated.get()));
        after.remove(outdated.get());
        removed.add(OwnerPods.name(outdated.get()));
        Pod replacement = ownerPods.create(room);
        after.add(replacement);
        created.add(OwnerPods.name(replacement));
        rolled = true;
      }
    }
    return new OwnerChanges(
        List.copyOf(live), List.copyOf(after), List.copyOf(created), List.copyOf(removed), rolled);
  }

  private List<Pod> drainOrder(List<Pod> live, int desired, RoomActivity activity) {
    Map<String, Pod> byName =
        live.stream().collect(Collectors.toMap(OwnerPods::name, Function.identity()));
    return policy.ownersToRemove(loads(live, activity), desired).stream()
        .map(load -> byName.get(load.ownerId()))
        .toList();
  }

  /**
   * One outdated pod, and only while every other pod is Ready, so a roll never takes more than one
   * owner's capacity away at a time.
   */
  private Optional<Pod> nextToRoll(WebSocketRoom room, List<Pod> live, RoomActivity activity) {
    String hash = factory.specHash(room);
    List<Pod> outdated = live.stream().filter(pod -> OwnerPods.isOutdated(pod, hash)).toList();
    if (outdated.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Pod> byName =
        outdated.stream().collect(Collectors.toMap(OwnerPods::name, Function.identity()));
    Pod candidate =
        byName.get(
            policy.ownersToRemove(loads(outdated, activity), outdated.size() - 1).get(0).ownerId());
    boolean othersReady =
        live.stream().filter(pod -> pod != candidate).allMatch(OwnerPods::isReady);
    return othersReady ? Optional.of(candidate) : Optional.empty();
  }

  private static List<OwnerLoad> loads(List<Pod> pods, RoomActivity activity) {
    return pods.stream()
        .map(
            pod ->
                new OwnerLoad(
                    OwnerPods.name(pod),
                    OwnerPods.isReady(pod),
                    activity.activeInstancesOf(OwnerPods.name(pod))))
        .toList();
  }
}
