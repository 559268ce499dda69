package dev.dormouse.store;

/**
 * The live connections of each room instance, kept so an evicted instance can be rebuilt. Written
 * only under the instance's lease: writes throw {@link StaleLeaseException} once it is lost.
 */
public interface ConnectionRegistry extends ConnectionRecords {

  void put(Lease lease, String connectionId, ConnectionRecord record);

  void remove(Lease lease, String connectionId);
}
