package dev.dormouse.operator.reconcile;

import dev.dormouse.contract.Annotations;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which room updates are worth a reconcile. Like JOSDK's generation-aware filtering (so the
 * operator's own status writes do not wake it), plus the wake annotation: a gateway waiting for an
 * owner must not wait for the next periodic reconcile.
 */
public final class RoomUpdateFilter implements OnUpdateFilter<WebSocketRoom> {

  @Override
  public boolean accept(WebSocketRoom updated, WebSocketRoom old) {
    var now = updated.getMetadata();
    var before = old.getMetadata();
    return !Objects.equals(now.getGeneration(), before.getGeneration())
        || !Objects.equals(wake(updated), wake(old))
        || !Objects.equals(now.getFinalizers(), before.getFinalizers())
        || now.getDeletionTimestamp() != null;
  }

  private static String wake(WebSocketRoom room) {
    var annotations = room.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(Annotations.WAKE_REQUESTED);
  }
}
