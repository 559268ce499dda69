package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;

/**
 * The right of one owner to run one room instance, with the fencing epoch it was granted under. Every
 * write of the instance's state carries {@link #token()} and Redis refuses it once the lease has
 * passed to another owner.
 */
public record Lease(RoomKey key, String ownerId, long epoch) {

  public String token() {
    return ownerId + " " + epoch;
  }

  /** The owner id in a lease's stored value, {@link #token()}. */
  static String holderOf(String token) {
    return token.substring(0, Math.max(0, token.lastIndexOf(' ')));
  }

  String redisKey() {
    return RedisKeys.lease(key);
  }
}
