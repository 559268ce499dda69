package dev.dormouse.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.gateway.EdgeSettings;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewaySettingsTest {

  static final String SECRET = "a-link-secret-of-enough-bytes";

  static Map<String, String> required() {
    return Map.of(
        "REDIS_URL",
        "redis://redis:6379",
        "DORMOUSE_LINK_SECRET",
        SECRET,
        "HOSTNAME",
        "gateway-7f9c");
  }

  static GatewaySettings with(Map<String, String> more) {
    Map<String, String> env = new HashMap<>(required());
    env.putAll(more);
    return GatewaySettings.fromEnvironment(env);
  }

  @Test
  void defaultsNeedOnlyRedisAndTheLinkSecret() {
    GatewaySettings settings = GatewaySettings.fromEnvironment(required());

    assertThat(settings.role().redisUrl()).isEqualTo("redis://redis:6379");
    assertThat(settings.role().linkSecret()).isEqualTo(SECRET.getBytes(StandardCharsets.UTF_8));
    assertThat(settings.role().bindAddress()).isEqualTo("0.0.0.0");
    assertThat(settings.role().adminPort()).isEqualTo(9090);
    assertThat(settings.role().linkPort()).isEqualTo(7070);
    assertThat(settings.role().wakeTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.gatewayId()).matches("gateway-7f9c-[0-9a-f]{6}");
    assertThat(settings.port()).isEqualTo(8080);
    assertThat(settings.namespace()).isEmpty();
    assertThat(settings.defaultRoom()).isEqualTo("example");
    assertThat(settings.secretsDir()).isEqualTo(Path.of("/etc/dormouse/secrets"));
    assertThat(settings.staticCluster()).isEmpty();
    assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.drainTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(settings.deadAfter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.ownerLinkGrace()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.publish()).isEmpty();
    assertThat(settings.adminToken()).as("the admin page and API off").isEmpty();
    assertThat(settings.edge())
        .isEqualTo(
            new EdgeSettings(
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                1000,
                32 * 1024));
  }

  @Test
  void twoGatewaysOnOneHostGetDifferentIds() {
    assertThat(GatewaySettings.fromEnvironment(required()).gatewayId())
        .isNotEqualTo(GatewaySettings.fromEnvironment(required()).gatewayId());
  }

  @Test
  void everyVariableIsRead() {
    Map<String, String> env = new HashMap<>();
    env.put("DORMOUSE_BIND_ADDRESS", "127.0.0.1");
    env.put("DORMOUSE_ADMIN_PORT", "9191");
    env.put("DORMOUSE_LINK_PORT", "7171");
    env.put("DORMOUSE_WAKE_TIMEOUT", "1m30s");
    env.put("DORMOUSE_GATEWAY_ID", " gw-west ");
    env.put("DORMOUSE_PORT", "0");
    env.put("DORMOUSE_NAMESPACE", "games");
    env.put("DORMOUSE_DEFAULT_ROOM", "lobby");
    env.put("DORMOUSE_SECRETS_DIR", "/run/secrets");
    env.put("DORMOUSE_START_TIMEOUT", "45s");
    env.put("DORMOUSE_DRAIN_TIMEOUT", "500ms");
    env.put("DORMOUSE_GATEWAY_DEAD_AFTER", "3s");
    env.put("DORMOUSE_OWNER_LINK_GRACE", "4s");
    env.put("DORMOUSE_HANDSHAKE_TIMEOUT", "1s");
    env.put("DORMOUSE_IDLE_CONNECTION_TIMEOUT", "2s");
    env.put("DORMOUSE_CLOSE_TIMEOUT", "3s");
    env.put("DORMOUSE_MAX_PENDING_UPGRADES", "7");
    env.put("DORMOUSE_MAX_HEADER_BYTES", "4096");

    GatewaySettings settings = with(env);

    assertThat(settings.role().bindAddress()).isEqualTo("127.0.0.1");
    assertThat(settings.role().adminPort()).isEqualTo(9191);
    assertThat(settings.role().linkPort()).isEqualTo(7171);
    assertThat(settings.role().wakeTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.gatewayId()).isEqualTo("gw-west");
    assertThat(settings.port()).isZero();
    assertThat(settings.namespace()).contains("games");
    assertThat(settings.defaultRoom()).isEqualTo("lobby");
    assertThat(settings.secretsDir()).isEqualTo(Path.of("/run/secrets"));
    assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(settings.drainTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.deadAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(settings.ownerLinkGrace()).isEqualTo(Duration.ofSeconds(4));
    assertThat(settings.edge())
        .isEqualTo(
            new EdgeSettings(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), 7, 4096));
  }

  @Test
  void staticOwnersComeWithRoomFiles() {
    GatewaySettings settings =
        with(
            Map.of(
                "DORMOUSE_OWNERS",
                "o1=127.0.0.1:7001, 127.0.0.1:7002",
                "DORMOUSE_ROOMS_DIR",
                "/srv/rooms"));

    assertThat(settings.staticCluster())
        .contains(
            new GatewaySettings.StaticCluster(
                List.of(
                    new OwnerEndpoint("o1", new InetSocketAddress("127.0.0.1", 7001)),
                    new OwnerEndpoint("127.0.0.1:7002", new InetSocketAddress("127.0.0.1", 7002))),
                Path.of("/srv/rooms")));
  }

  @Test
  void theLinkSecretMayComeFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, SECRET + "\n");
    Map<String, String> env = new HashMap<>(required());
    env.remove("DORMOUSE_LINK_SECRET");
    env.put("DORMOUSE_LINK_SECRET_FILE", file.toString());

    assertThat(GatewaySettings.fromEnvironment(env).role().linkSecret())
        .isEqualTo(SECRET.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aShortSecretFileIsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("secret");
    Files.writeString(file, "short\n");

    assertThatThrownBy(() -> with(Map.of("DORMOUSE_LINK_SECRET_FILE", file.toString())))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_LINK_SECRET_FILE");
  }

  @Test
  void thePublishApiIsServedWithATokenFromItsSecretFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "a-publish-token-0123456789\n");

    GatewaySettings settings = with(Map.of("DORMOUSE_PUBLISH_TOKEN_FILE", file.toString()));
    assertThat(settings.publish())
        .hasValueSatisfying(
            publish -> {
              assertThat(publish.port()).isEqualTo(8081);
              assertThat(publish.token())
                  .isEqualTo("a-publish-token-0123456789".getBytes(StandardCharsets.UTF_8));
            });
    assertThat(
            with(Map.of(
                    "DORMOUSE_PUBLISH_TOKEN", "a-publish-token-0123456789",
                    "DORMOUSE_PUBLISH_PORT", "9191"))
                .publish()
                .orElseThrow()
                .port())
        .isEqualTo(9191);
  }

  @Test
  void theAdminTokenIsReadInlineOrFromAFileAndAShortOneIsRefused(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("admin-token");
    Files.writeString(file, "an-admin-token-0123456789\n");
    assertThat(with(Map.of("DORMOUSE_ADMIN_TOKEN_FILE", file.toString())).adminToken())
        .hasValue("an-admin-token-0123456789".getBytes(StandardCharsets.UTF_8));
    assertThat(with(Map.of("DORMOUSE_ADMIN_TOKEN", "an-admin-token-9876543210")).adminToken())
        .hasValue("an-admin-token-9876543210".getBytes(StandardCharsets.UTF_8));
    assertThat(GatewaySettings.adminToken(Map.of("DORMOUSE_ADMIN_TOKEN", "an-admin-token-for-dev")))
        .as("as the dev run reads it")
        .hasValue("an-admin-token-for-dev".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> with(Map.of("DORMOUSE_ADMIN_TOKEN", "short")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_ADMIN_TOKEN must hold at least 16 bytes");
  }

  @Test
  void aShortPublishTokenIsRefusedNamingItsVariable(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "short");
    assertThatThrownBy(() -> with(Map.of("DORMOUSE_PUBLISH_TOKEN_FILE", file.toString())))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_PUBLISH_TOKEN_FILE");
    assertThatThrownBy(() -> with(Map.of("DORMOUSE_PUBLISH_TOKEN", "short")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_PUBLISH_TOKEN must hold at least 16 bytes");
    assertThatThrownBy(
            () ->
                with(
                    Map.of(
                        "DORMOUSE_PUBLISH_TOKEN", "a-publish-token-0123456789",
                        "DORMOUSE_PUBLISH_PORT", "http")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_PUBLISH_PORT");
  }

  @Test
  void anUnreadableSecretFileIsABadSetting(@TempDir Path dir) {
    assertThatThrownBy(
            () -> with(Map.of("DORMOUSE_LINK_SECRET_FILE", dir.resolve("missing").toString())))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_LINK_SECRET_FILE");
  }

  @Test
  void requiredSettingsAreNamed() {
    assertThatThrownBy(
            () -> GatewaySettings.fromEnvironment(Map.of("DORMOUSE_LINK_SECRET", SECRET)))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("REDIS_URL");
    assertThatThrownBy(
            () ->
                GatewaySettings.fromEnvironment(
                    Map.of("REDIS_URL", "redis://r", "DORMOUSE_LINK_SECRET", " ")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_LINK_SECRET");
    assertThatThrownBy(() -> with(Map.of("DORMOUSE_OWNERS", "o1=127.0.0.1:7001")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("DORMOUSE_ROOMS_DIR");
  }

  @ParameterizedTest
  @CsvSource({
    "DORMOUSE_LINK_SECRET, too-short",
    "DORMOUSE_PORT, http",
    "DORMOUSE_PORT, 65536",
    "DORMOUSE_ADMIN_PORT, -1",
    "DORMOUSE_LINK_PORT, 7070x",
    "DORMOUSE_WAKE_TIMEOUT, 60",
    "DORMOUSE_START_TIMEOUT, soon",
    "DORMOUSE_DRAIN_TIMEOUT, 20 s",
    "DORMOUSE_GATEWAY_DEAD_AFTER, -10s",
    "DORMOUSE_OWNER_LINK_GRACE, 2",
    "DORMOUSE_HANDSHAKE_TIMEOUT, 10",
    "DORMOUSE_IDLE_CONNECTION_TIMEOUT, forever",
    "DORMOUSE_CLOSE_TIMEOUT, 5x",
    "DORMOUSE_MAX_PENDING_UPGRADES, 0",
    "DORMOUSE_MAX_HEADER_BYTES, 32KiB",
    "DORMOUSE_OWNERS, o1=127.0.0.1",
    "DORMOUSE_OWNERS, ',,'",
  })
  void aMalformedValueIsNamed(String variable, String value) {
    assertThatThrownBy(() -> with(Map.of(variable, value, "DORMOUSE_ROOMS_DIR", "/srv/rooms")))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining(variable);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "redis://:s3cret-pw@redis:port",
        "redis://:s3cret-pw@redis:6379?timeout=5s",
        "redis://:s3cret-pw@a:6379,b:6379",
        "http://:s3cret-pw@redis:6379",
        "redis-sentinel://:s3cret-pw@s1,s2",
        "redis-sentinel://:s3cret#pw@:26379#mymaster",
        "redis-cluster://:s3cret-pw@a:7000,b:7001/2",
      })
  void aMalformedRedisUrlIsABadSettingThatKeepsThePasswordSecret(String url) {
    assertThatThrownBy(() -> with(Map.of("REDIS_URL", url)))
        .isInstanceOf(BadSettingException.class)
        .hasMessageContaining("REDIS_URL")
        .message()
        .doesNotContain("s3cret")
        .doesNotContain("pw");
  }
}
