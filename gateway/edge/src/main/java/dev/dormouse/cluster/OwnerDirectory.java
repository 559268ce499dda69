package dev.dormouse.cluster;

/** Where the owners of each room are, kept current while the gateway runs. */
public interface OwnerDirectory {

  /**
   * The owners that serve the room or are about to ({@link RoomOwners}). {@link RoomOwners#NONE}
   * while the room has none. Cheap: a snapshot.
   */
  RoomOwners owners(String namespace, String room);

  /**
   * Runs {@code changed} after any change of any room's owners, possibly on another thread. The
   * listener must not block: it runs on the thread that observed the change.
   */
  void addListener(Runnable changed);
}
