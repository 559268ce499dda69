package dev.dormouse.store;

import dev.dormouse.contract.ActivityReport;
import dev.dormouse.room.RoomKey;

/** Where an owner tells the operator how busy it is per room. */
public interface ActivityReports {

  /** Replaces this owner's report for the room {@code room} names (its instance part is ignored). */
  void report(RoomKey room, String ownerId, ActivityReport report);

  /** Takes this owner's report for the room back, so it stops counting at once. */
  void withdraw(RoomKey room, String ownerId);
}
