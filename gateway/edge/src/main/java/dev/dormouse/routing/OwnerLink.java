package dev.dormouse.routing;

import dev.dormouse.link.RoomEvent;

/** The gateway's connection to one owner, as routing sees it. */
public interface OwnerLink {

  boolean isReady();

  /** Sends the event; false when the link is not ready (the caller keeps the event). */
  boolean offer(RoomEvent event);

  /** The owner said it is draining, and has not linked again since: it takes nothing new. */
  boolean isDraining();

  /**
   * The owner said it is paused (cut off from Redis) and not that it serves again: it can run only
   * what needs no Redis, and hands back the rest.
   */
  boolean isPaused();

  /** When (System.nanoTime, or the router's clock) the link stopped being ready; meaningless while it is ready. */
  long notReadySinceNanos();
}
