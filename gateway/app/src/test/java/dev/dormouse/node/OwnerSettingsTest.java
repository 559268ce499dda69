package dev.dormouse.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OwnerSettingsTest {

  static Map<String, String> required() {
    return Map.of(
        "REDIS_URL",
        "redis://redis:6379",
        "DORMOUSE_LINK_SECRET",
        GatewaySettingsTest.SECRET,
        "HOSTNAME",
        "owner-0",
        "DORMOUSE_ROOM",
        "games/chess",
        "DORMOUSE_ROOM_SPEC",
        "{\"handler\":\"echo\"}");
  }

  static OwnerSettings with(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(required());
    env.putAll(more);
    env.values().removeIf(String::isEmpty);
    return OwnerSettings.fromEnvironment(env);
  }

  @Test
  void defaultsNeedRedisTheLinkSecretAndARoom() {
    OwnerSettings settings = OwnerSettings.fromEnvironment(required());

    assertThat(settings.role().redisUrl()).isEqualTo("redis://redis:6379");
    assertThat(settings.role().bindAddress()).isEqualTo("0.0.0.0");
    assertThat(settings.role().adminPort()).isEqualTo(9090);
    assertThat(settings.role().linkPort()).isEqualTo(7070);
    assertThat(settings.role().wakeTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.ownerId()).isEqualTo("owner-0");
    assertThat(settings.libDir()).isEqualTo(Path.of("/opt/dormouse/lib"));
    assertThat(settings.rooms())
        .isEqualTo(new OwnerSettings.AssignedRoom("games/chess", "{\"handler\":\"echo\"}"));
    assertThat(settings.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.drainTimeout()).isEqualTo(Duration.ofSeconds(25));
    assertThat(settings.leaseReplicas()).as("standalone Redis: no replica to wait for").isZero();
  }

  @Test
  void behindSentinelLeasesWaitForOneReplicaUnlessToldOtherwise() {
    String sentinel = "redis-sentinel://sentinel:26379#mymaster";
    assertThat(with(Map.of("REDIS_URL", sentinel)).leaseReplicas()).isEqualTo(1);
    assertThat(with(Map.of("REDIS_URL", sentinel, "DORMOUSE_LEASE_REPLICAS", "0")).leaseReplicas())
        .isZero();
    assertThat(with(Map.of("REDIS_URL", "redis-cluster://a:6379,b:6379")).leaseReplicas()).isZero();
  }

  @Test
  void everyVariableIsRead() {
    OwnerSettings settings =
        with(
            Map.of(
                "DORMOUSE_BIND_ADDRESS",
                "10.0.0.5",
                "DORMOUSE_ADMIN_PORT",
                "0",
                "DORMOUSE_LINK_PORT",
                "7001",
                "DORMOUSE_WAKE_TIMEOUT",
                "5s",
                "DORMOUSE_OWNER_ID",
                "chess-owner-1",
                "DORMOUSE_LIB_DIR",
                "/srv/lib",
                "DORMOUSE_LEASE_TTL",
                "2500ms",
                "DORMOUSE_DRAIN_TIMEOUT",
                "1m",
                "DORMOUSE_LEASE_REPLICAS",
                "2"));

    assertThat(settings.role().bindAddress()).isEqualTo("10.0.0.5");
    assertThat(settings.role().adminPort()).isZero();
    assertThat(settings.role().linkPort()).isEqualTo(7001);
    assertThat(settings.role().wakeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.ownerId()).isEqualTo("chess-owner-1");
    assertThat(settings.libDir()).isEqualTo(Path.of("/srv/lib"));
    assertThat(settings.leaseTtl()).isEqualTo(Duration.ofMillis(2500));
    assertThat(settings.drainTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.leaseReplicas()).isEqualTo(2);
  }

  @Test
  void withoutAnAssignedRoomTheRoomsComeFromFiles() {
    assertThat(
            with(Map.of(
                    "DORMOUSE_ROOM",
                    "",
                    "DORMOUSE_ROOM_SPEC",
                    "",
                    "DORMOUSE_ROOMS_DIR",
                    "/srv/rooms"))
                .rooms())
        .isEqualTo(new OwnerSettings.RoomFilesDir(Path.of("/srv/rooms"), "default"));
    assertThat(
            with(Map.of(
                    "DORMOUSE_ROOM",
                    "",
                    "DORMOUSE_ROOMS_DIR",
                    "/srv/rooms",
                    "DORMOUSE_NAMESPACE",
                    "games"))
                .rooms())
        .isEqualTo(new OwnerSettings.RoomFilesDir(Path.of("/srv/rooms"), "games"));
  }

  @Test
  void requiredSettingsAreNamed() {
    assertThatThrownBy(() -> with(Map.of("DORMOUSE_ROOM", "")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_ROOMS_DIR");
    assertThatThrownBy(() -> with(Map.of("DORMOUSE_ROOM_SPEC", "")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_ROOM_SPEC");
    assertThatThrownBy(() -> with(Map.of("REDIS_URL", "")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("REDIS_URL");
    assertThatThrownBy(() -> with(Map.of("REDIS_URL", "redis://:s3cret@redis:port")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("REDIS_URL")
        .message()
        .doesNotContain("s3cret");
    assertThatThrownBy(() -> with(Map.of("DORMOUSE_LINK_SECRET", "")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_LINK_SECRET");
  }

  @ParameterizedTest
  @CsvSource({
    "DORMOUSE_ROOM, chess",
    "DORMOUSE_ROOM, games/chess/1",
    "DORMOUSE_ROOM, /chess",
    "DORMOUSE_LINK_PORT, 70000",
    "DORMOUSE_ADMIN_PORT, admin",
    "DORMOUSE_WAKE_TIMEOUT, 1 minute",
    "DORMOUSE_LEASE_TTL, 10",
    "DORMOUSE_DRAIN_TIMEOUT, 25sec",
    "DORMOUSE_LEASE_REPLICAS, -1",
    "DORMOUSE_LEASE_REPLICAS, one",
  })
  void aMalformedValueIsNamed(String variable, String value) {
    assertThatThrownBy(() -> with(Map.of(variable, value)))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining(variable);
  }
}
