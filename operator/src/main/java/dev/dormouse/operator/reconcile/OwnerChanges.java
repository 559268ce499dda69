package dev.dormouse.operator.reconcile;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * What one reconcile did to a room's owner pods.
 *
 * @param before live owner pods found
 * @param after live owner pods left, including the ones just created
 * @param created names of the pods created
 * @param removed names of the pods deleted (drained)
 * @param replaced whether one outdated pod was rolled
 */
public record OwnerChanges(
    List<Pod> before,
    List<Pod> after,
    List<String> created,
    List<String> removed,
    boolean replaced) {}
