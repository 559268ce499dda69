package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The connection records in Redis: one hash per instance, connection id to its encoded record. */
public final class RedisConnectionRegistry implements ConnectionRegistry {

  private final ConnectionRecords records;
  private final RedisLeaseStore leases;

  public RedisConnectionRegistry(RedisConnector redis, RedisLeaseStore leases) {
    this.records = new RedisConnectionRecords(redis);
    this.leases = leases;
  }

  @Override
  public void put(Lease lease, String connectionId, ConnectionRecord record) {
    leases.hset(lease, RedisKeys.connections(lease.key()), connectionId, record.encode());
  }

  @Override
  public void remove(Lease lease, String connectionId) {
    leases.hdel(lease, RedisKeys.connections(lease.key()), connectionId);
  }

  @Override
  public CompletionStage<Void> putInBackground(
      Lease lease, String connectionId, ConnectionRecord record) {
    return leases.hsetInBackground(
        lease, RedisKeys.connections(lease.key()), connectionId, record.encode());
  }

  @Override
  public CompletionStage<Void> removeInBackground(Lease lease, String connectionId) {
    return leases.hdelInBackground(lease, RedisKeys.connections(lease.key()), connectionId);
  }

  @Override
  public Map<String, ConnectionRecord> all(RoomKey key) {
    return records.all(key);
  }
}
