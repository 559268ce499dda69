package dev.dormouse.contract;

import dev.dormouse.room.RoomKey;

/**
 * The Redis key layout shared by gateways, owners and the operator. Every key of one room instance
 * carries the instance's key as its hash tag, so the keys of one instance live on one Redis Cluster
 * slot and can be used together in one transaction or script.
 */
public final class RedisKeys {

  public static final String PREFIX = "dm:";

  /** Pub/sub channel on which control messages reach every gateway. */
  public static final String CONTROL_CHANNEL = PREFIX + "control";

  private RedisKeys() {}

  private static String tagged(RoomKey key, String suffix) {
    return PREFIX + "{" + key + "}:" + suffix;
  }

  /** Hash: connection id → encoded connection record (gateway, attachment, tags, created time). */
  public static String connections(RoomKey key) {
    return tagged(key, "conns");
  }

  /** Hash: the room's own key–value storage (field = the room's key, value = its bytes). */
  public static String storage(RoomKey key) {
    return tagged(key, "storage");
  }

  /**
   * Sorted set: every key of {@link #storage}, all at score 0, so that ZRANGEBYLEX lists them in
   * byte order, by prefix, a page at a time. Written with the hash, in the same script.
   */
  public static String storageKeys(RoomKey key) {
    return tagged(key, "storage-keys");
  }

  /** Hash: the auto-response pair set by the room code and each connection's last auto-response time. */
  public static String autoResponse(RoomKey key) {
    return tagged(key, "auto");
  }

  /**
   * Stream: the instance's last transitions (woke, hibernated), newest last, capped and expiring
   * when the instance is left alone. Observability only: written in the background, under no lease.
   */
  public static String history(RoomKey key) {
    return tagged(key, "history");
  }

  /** String: how many times the instance was activated, beside {@link #history} and expiring with it. */
  public static String wakes(RoomKey key) {
    return tagged(key, "wakes");
  }

  /** String: the single-activation lease, {@code ownerId epoch}. */
  public static String lease(RoomKey key) {
    return tagged(key, "lease");
  }

  /**
   * String: the instance's alarm, {@code dueMillis retries id} (a bare {@code dueMillis} from before
   * retries reads as a first attempt). Written under the lease; the truth {@link #alarmIndex} hints at.
   */
  public static String alarm(RoomKey key) {
    return tagged(key, "alarm");
  }

  /**
   * Sorted set per namespace: room key ({@code namespace/room/instance}) → when its alarm is due
   * (epoch millis), or until when a raiser's claim on it holds. A hint for the gateways' alarm
   * watchers; the instance's {@link #alarm} key is the truth. Its own hash tag: one slot per
   * namespace, so it is never written in one script with an instance's keys.
   */
  public static String alarmIndex(String namespace) {
    return PREFIX + "alarms:{" + namespace + "}";
  }

  /**
   * Hash beside {@link #alarmIndex} (same slot): room key → the lease epoch of the last index write
   * for it, so an owner that lost its lease cannot undo what the next holder wrote.
   */
  public static String alarmEpochs(String namespace) {
    return PREFIX + "alarms:{" + namespace + "}:epochs";
  }

  /**
   * Hash per room (all instances): owner id → JSON {@link ActivityReport}. Owners publish; the
   * operator reads it for scaling and status.
   */
  public static String activity(String namespace, String room) {
    return PREFIX + "{" + namespace + "/" + room + "}:activity";
  }

  /** Hash per room (all instances): instance name → open connections. Gateways keep it. */
  public static String connectionCounts(String namespace, String room) {
    return PREFIX + "{" + namespace + "/" + room + "}:counts";
  }

  /** Hash: gateway id → epoch millis of its last heartbeat. A gateway silent too long is dead. */
  public static final String GATEWAYS = PREFIX + "gateways";

  /** String: held (SET NX PX) by the one gateway reaping dead gateways at a time. */
  public static final String REAPER_LOCK = PREFIX + "reaper";

  /**
   * Set: the connections one gateway holds, as {@code roomKey + "\t" + connectionId}, so that when
   * the gateway dies its rooms can be told of every connection it took with it.
   */
  public static String gatewayConnections(String gatewayId) {
    return PREFIX + "gw:{" + gatewayId + "}:conns";
  }

  /**
   * String: when a reaper took this gateway for dead (epoch millis). A gateway that was only paused
   * finds it on its next heartbeat and closes the sockets whose rooms were told they are gone.
   */
  public static String gatewayReaped(String gatewayId) {
    return PREFIX + "gw:{" + gatewayId + "}:reaped";
  }

  /**
   * Stream: messages published through the publish API for connections this gateway holds, which
   * it reads in order ({@code XREAD} from the last entry it handled). Under the gateway's own hash
   * tag, so one stream is one Cluster slot; trimmed to recent entries and expiring when unused, and
   * removed by the reaper with its gateway.
   */
  public static String gatewayPublished(String gatewayId) {
    return PREFIX + "gw:{" + gatewayId + "}:published";
  }

  /** String: counter from which leases draw their fencing epochs. */
  public static String epochs(RoomKey key) {
    return tagged(key, "epoch");
  }

  /** Glob matching every key of every instance of a room, for cleanup when the room is deleted. */
  public static String roomPattern(String namespace, String room) {
    return PREFIX + "{" + namespace + "/" + room + "*";
  }
}
