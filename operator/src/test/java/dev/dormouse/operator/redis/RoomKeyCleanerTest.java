package dev.dormouse.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import org.junit.jupiter.api.Test;

class RoomKeyCleanerTest {

  @Test
  void aRoomOwnsItsOwnAndItsInstancesKeysOnly() {
    assertThat(RoomKeyCleaner.belongsTo(RedisKeys.storage(RoomKey.of("ns", "chat")), "ns", "chat"))
        .isTrue();
    assertThat(
            RoomKeyCleaner.belongsTo(
                RedisKeys.connections(new RoomKey("ns", "chat", "a")), "ns", "chat"))
        .isTrue();
    assertThat(RoomKeyCleaner.belongsTo(RedisKeys.activity("ns", "chat"), "ns", "chat")).isTrue();
    assertThat(RoomKeyCleaner.belongsTo(RedisKeys.connectionCounts("ns", "chat"), "ns", "chat"))
        .isTrue();

    assertThat(RoomKeyCleaner.belongsTo(RedisKeys.storage(RoomKey.of("ns", "chat2")), "ns", "chat"))
        .isFalse();
    assertThat(
            RoomKeyCleaner.belongsTo(RedisKeys.storage(RoomKey.of("ns", "chat-b")), "ns", "chat"))
        .isFalse();
    assertThat(
            RoomKeyCleaner.belongsTo(RedisKeys.storage(RoomKey.of("other", "chat")), "ns", "chat"))
        .isFalse();
  }
}
