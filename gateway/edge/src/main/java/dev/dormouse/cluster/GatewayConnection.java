package dev.dormouse.cluster;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;

/** One client connection a gateway holds, as written in its {@link RedisKeys#gatewayConnections} set. */
record GatewayConnection(RoomKey key, String connectionId) {

  private static final char SEPARATOR = '\t';

  /** {@code roomKey + "\t" + connectionId}: the set member. */
  String member() {
    return key.toString() + SEPARATOR + connectionId;
  }

  static GatewayConnection parse(String member) {
    int tab = member.lastIndexOf(SEPARATOR);
    if (tab <= 0 || tab == member.length() - 1) {
      throw new IllegalArgumentException("not a gateway connection: " + member);
    }
    return new GatewayConnection(
        RoomKey.parse(member.substring(0, tab)), member.substring(tab + 1));
  }
}
