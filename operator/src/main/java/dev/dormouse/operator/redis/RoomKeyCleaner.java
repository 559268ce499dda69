package dev.dormouse.operator.redis;

import dev.dormouse.contract.ControlMessage;
import dev.dormouse.contract.RedisKeys;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import java.util.ArrayList;
import java.util.List;

/** Forgets a deleted room: removes its Redis keys and tells every gateway to close its clients. */
public final class RoomKeyCleaner {

  private static final int BATCH = 500;

  private final RedisConnection redis;

  public RoomKeyCleaner(RedisConnection redis) {
    this.redis = redis;
  }

  /** Returns the number of keys removed. */
  public long clean(String namespace, String room) {
    try {
      long removed = unlinkRoomKeys(namespace, room);
      redis
          .commands()
          .publish(RedisKeys.CONTROL_CHANNEL, ControlMessage.roomDeleted(namespace, room).encode());
      return removed;
    } catch (RedisException e) {
      throw new RedisUnavailableException("cannot remove the keys of " + namespace + "/" + room, e);
    }
  }

  private long unlinkRoomKeys(String namespace, String room) {
    var commands = redis.commands();
    ScanIterator<String> keys =
        ScanIterator.scan(
            commands,
            ScanArgs.Builder.matches(RedisKeys.roomPattern(namespace, room)).limit(BATCH));
    long removed = 0;
    List<String> batch = new ArrayList<>(BATCH);
    while (keys.hasNext()) {
      String key = keys.next();
      if (belongsTo(key, namespace, room)) {
        batch.add(key);
      }
      if (batch.size() == BATCH) {
        removed += commands.unlink(batch.toArray(String[]::new));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      removed += commands.unlink(batch.toArray(String[]::new));
    }
    return removed;
  }

  /**
   * The glob also matches rooms whose name merely starts with this one ({@code chat} matches
   * {@code chat2}); only the room itself and its instances are this room's.
   */
  static boolean belongsTo(String key, String namespace, String room) {
    String tag = RedisKeys.PREFIX + "{" + namespace + "/" + room;
    return key.startsWith(tag + "}") || key.startsWith(tag + "/");
  }
}
