package dev.dormouse.cluster;

import java.util.List;

/** Where the ready owners of each room are, kept current while the gateway runs. */
public interface OwnerDirectory {

  /**
   * The owners that can serve the room now, sorted by owner id so that every gateway hashing a room
   * key over them picks the same owner. Empty while the room has no ready owner. Cheap: a snapshot.
   */
  List<OwnerEndpoint> readyOwners(String namespace, String room);

  /**
   * Runs {@code changed} after any change of any room's ready owners, possibly on another thread.
   * The listener must not block: it runs on the thread that observed the change.
   */
  void addListener(Runnable changed);
}
