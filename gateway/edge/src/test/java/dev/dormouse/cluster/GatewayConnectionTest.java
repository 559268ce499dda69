package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.room.RoomKey;
import org.junit.jupiter.api.Test;

class GatewayConnectionTest {

  @Test
  void theMemberIsRoomKeyTabConnectionIdAndParsesBack() {
    GatewayConnection plain = new GatewayConnection(RoomKey.of("ns", "lobby"), "c1");
    GatewayConnection instance = new GatewayConnection(new RoomKey("ns", "docs", "doc-7"), "c2");

    assertThat(plain.member()).isEqualTo("ns/lobby\tc1");
    assertThat(instance.member()).isEqualTo("ns/docs/doc-7\tc2");
    assertThat(GatewayConnection.parse(plain.member())).isEqualTo(plain);
    assertThat(GatewayConnection.parse(instance.member())).isEqualTo(instance);
  }

  @Test
  void somethingElseIsRefused() {
    assertThatThrownBy(() -> GatewayConnection.parse("ns/lobby"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayConnection.parse("ns/lobby\t"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GatewayConnection.parse("lobby\tc1"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
