package dev.dormouse.routing;

import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.room.RoomKey;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Rendezvous (highest random weight) hashing of room keys over a room's ring members: every gateway
 * that sees the same owners picks the same one, and when an owner comes or goes only the keys it wins
 * or held move.
 */
public final class OwnerRing {

  private OwnerRing() {}

  public static Optional<OwnerEndpoint> pick(RoomKey key, List<OwnerEndpoint> owners) {
    OwnerEndpoint best = null;
    long bestScore = Long.MIN_VALUE;
    byte[] keyBytes = key.toString().getBytes(StandardCharsets.UTF_8);
    for (OwnerEndpoint owner : owners) {
      long score = score(owner.ownerId(), keyBytes);
      if (best == null
          || score > bestScore
          || (score == bestScore && owner.ownerId().compareTo(best.ownerId()) < 0)) {
        best = owner;
        bestScore = score;
      }
    }
    return Optional.ofNullable(best);
  }

  /** FNV-1a over owner id and key, finished with a 64-bit mixer so similar ids spread evenly. */
  static long score(String ownerId, byte[] key) {
    long hash = 0xcbf29ce484222325L;
    for (byte b : ownerId.getBytes(StandardCharsets.UTF_8)) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    hash = (hash ^ 0xff) * 0x100000001b3L;
    for (byte b : key) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    hash ^= hash >>> 33;
    hash *= 0xff51afd7ed558ccdL;
    hash ^= hash >>> 33;
    hash *= 0xc4ceb9fe1a85ec53L;
    hash ^= hash >>> 33;
    return hash;
  }
}
