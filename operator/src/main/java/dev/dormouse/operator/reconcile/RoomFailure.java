package dev.dormouse.operator.reconcile;

import dev.dormouse.crd.v1alpha1.InvalidRoomException;
import dev.dormouse.operator.redis.RedisUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A failed reconcile as the user sees it: the reason of the Reconciled condition and of the Warning
 * Event, and whether trying again can help.
 */
public record RoomFailure(String reason, String message, boolean retryable) {

  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String REDIS_UNAVAILABLE = "RedisUnavailable";
  public static final String KUBERNETES_API_ERROR = "KubernetesApiError";
  public static final String RECONCILE_ERROR = "ReconcileError";

  /** JOSDK may hand the reconciler's exception over wrapped, so the first known cause decides. */
  public static RoomFailure of(Exception e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidRoomException invalid) {
        // Retrying cannot fix a spec; the next spec change is reconciled anyway.
        return new RoomFailure(INVALID_SPEC, invalid.getMessage(), false);
      }
      if (cause instanceof RedisUnavailableException redis) {
        return new RoomFailure(REDIS_UNAVAILABLE, redis.getMessage(), true);
      }
      if (cause instanceof KubernetesClientException kubernetes) {
        return new RoomFailure(KUBERNETES_API_ERROR, kubernetes.getMessage(), true);
      }
    }
    return new RoomFailure(RECONCILE_ERROR, String.valueOf(e.getMessage()), true);
  }
}
