package dev.dormouse.store;

import dev.dormouse.contract.ActivityReport;
import dev.dormouse.room.RoomKey;
import java.util.Map;
import java.util.Optional;

/**
 * What Redis says of a room and its instances, read without a lease for the admin API. Synchronous:
 * call it off the I/O threads. Throws {@link StoreUnavailableException} when Redis does not answer.
 */
public interface RoomInspection {

  /** Every instance the gateways counted connections for (closed ones stay, at 0), with its count. */
  Map<String, Long> instances(String namespace, String room);

  /** Each owner's last activity report of the room, by owner id. */
  Map<String, ActivityReport> activity(String namespace, String room);

  /** One instance as Redis holds it. */
  InstanceRecord instance(RoomKey key);

  /**
   * @param connectionsByGateway the instance's open connections per gateway id
   * @param leaseHolder the owner holding its lease: the one with it in memory
   * @param alarmDueMillis when its alarm is due, if it has one
   */
  record InstanceRecord(
      Map<String, Integer> connectionsByGateway,
      Optional<String> leaseHolder,
      Optional<Long> alarmDueMillis) {

    /** Nothing of the instance is in Redis. */
    public boolean isEmpty() {
      return connectionsByGateway.isEmpty() && leaseHolder.isEmpty() && alarmDueMillis.isEmpty();
    }
  }
}
