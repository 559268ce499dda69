package dev.dormouse.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigTest {

  @Test
  void defaultsNeedOnlyRedis() throws Exception {
    OperatorConfig config =
        OperatorConfig.load(new String[0], Map.of("REDIS_URL", "redis://redis:6379"));

    assertThat(config.redisUrl()).isEqualTo("redis://redis:6379");
    assertThat(config.ownerImage()).isEqualTo(OperatorConfig.DEFAULT_OWNER_IMAGE);
    assertThat(config.watchNamespaces()).isEmpty();
    assertThat(config.linkSecretName()).isEqualTo("dormouse-link");
    assertThat(config.healthPort()).isEqualTo(8081);
    assertThat(config.reconcileInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.redisSecretName()).isEmpty();
  }

  @Test
  void environmentIsRead() throws Exception {
    OperatorConfig config =
        OperatorConfig.load(
            new String[0],
            Map.of(
                "REDIS_URL", "redis://r:1",
                "DORMOUSE_OWNER_IMAGE", "registry.local/dormouse:1.2",
                "DORMOUSE_WATCH_NAMESPACES", " a, b ,,",
                "DORMOUSE_HEALTH_PORT", "9000",
                "DORMOUSE_RECONCILE_INTERVAL", "1m30s",
                "DORMOUSE_LEADER_ELECTION", "false"));

    assertThat(config.ownerImage()).isEqualTo("registry.local/dormouse:1.2");
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("a", "b");
    assertThat(config.healthPort()).isEqualTo(9000);
    assertThat(config.reconcileInterval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(config.leaderElection()).isFalse();
  }

  @Test
  void aConfigFileWinsOverTheEnvironment(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("operator.properties");
    Files.writeString(file, "REDIS_URL=redis://from-file:6379\nDORMOUSE_LINK_SECRET_NAME=link\n");

    OperatorConfig config =
        OperatorConfig.load(
            new String[] {"--config", file.toString()},
            Map.of("REDIS_URL", "redis://from-env:6379", "DORMOUSE_HEALTH_PORT", "8090"));

    assertThat(config.redisUrl()).isEqualTo("redis://from-file:6379");
    assertThat(config.linkSecretName()).isEqualTo("link");
    assertThat(config.healthPort()).isEqualTo(8090);
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> OperatorConfig.load(new String[0], Map.of()))
        .hasMessageContaining("REDIS_URL");
    assertThatThrownBy(
            () ->
                OperatorConfig.load(
                    new String[0],
                    Map.of("REDIS_URL", "redis://r", "DORMOUSE_RECONCILE_INTERVAL", "5")))
        .hasMessageContaining("DORMOUSE_RECONCILE_INTERVAL");
    assertThatThrownBy(
            () ->
                OperatorConfig.load(
                    new String[0],
                    Map.of("REDIS_URL", "redis://r", "DORMOUSE_HEALTH_PORT", "http")))
        .hasMessageContaining("DORMOUSE_HEALTH_PORT");
    assertThatThrownBy(
            () ->
                OperatorConfig.load(
                    new String[0], Map.of("REDIS_URL", "redis-cluster://a:7000,,b")))
        .hasMessageStartingWith("REDIS_URL is not a Redis URL: a host is missing");
    assertThatThrownBy(
            () -> OperatorConfig.load(new String[] {"--verbose"}, Map.of("REDIS_URL", "redis://r")))
        .hasMessageContaining("--verbose");
    assertThatThrownBy(
            () -> OperatorConfig.load(new String[] {"--config"}, Map.of("REDIS_URL", "redis://r")))
        .hasMessageContaining("--config");
  }

  @Test
  void withoutAnAdminTokenTheAdminPageIsOff() throws Exception {
    assertThat(OperatorConfig.load(new String[0], Map.of("REDIS_URL", "redis://r:1")).adminToken())
        .isEmpty();
  }

  @Test
  void theAdminTokenIsReadInlineOrFromAFileWhichWins(@TempDir Path dir) throws Exception {
    String inline = "an-inline-token-of-enough-bytes";
    OperatorConfig config =
        OperatorConfig.load(
            new String[0], Map.of("REDIS_URL", "redis://r:1", "DORMOUSE_ADMIN_TOKEN", inline));
    assertThat(config.adminToken())
        .hasValueSatisfying(t -> assertThat(t.admits("Bearer " + inline)).isTrue());
    assertThat(config.toString()).doesNotContain(inline);

    Path file = dir.resolve("token");
    Files.writeString(file, "  a-token-from-a-mounted-secret\n");
    OperatorConfig fromFile =
        OperatorConfig.load(
            new String[0],
            Map.of(
                "REDIS_URL",
                "redis://r:1",
                "DORMOUSE_ADMIN_TOKEN",
                inline,
                "DORMOUSE_ADMIN_TOKEN_FILE",
                file.toString()));
    assertThat(fromFile.adminToken().orElseThrow().admits("Bearer a-token-from-a-mounted-secret"))
        .isTrue();
    assertThat(fromFile.adminToken().orElseThrow().admits("Bearer " + inline)).isFalse();
  }

  @Test
  void aShortOrUnreadableAdminTokenStopsTheStartNamingTheVariable(@TempDir Path dir)
      throws Exception {
    assertThatThrownBy(
            () ->
                OperatorConfig.load(
                    new String[0],
                    Map.of("REDIS_URL", "redis://r:1", "DORMOUSE_ADMIN_TOKEN", "fifteen-bytes!!")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DORMOUSE_ADMIN_TOKEN must hold at least 16 bytes");
    Path shortFile = dir.resolve("short");
    Files.writeString(shortFile, "short\n");
    assertThatThrownBy(
            () ->
                OperatorConfig.load(
                    new String[0],
                    Map.of(
                        "REDIS_URL",
                        "redis://r:1",
                        "DORMOUSE_ADMIN_TOKEN_FILE",
                        shortFile.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("DORMOUSE_ADMIN_TOKEN_FILE must hold at least 16 bytes");
    Path missing = dir.resolve("missing");
    assertThatThrownBy(
            () ->
                OperatorConfig.load(
                    new String[0],
                    Map.of(
                        "REDIS_URL",
                        "redis://r:1",
                        "DORMOUSE_ADMIN_TOKEN_FILE",
                        missing.toString())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("DORMOUSE_ADMIN_TOKEN_FILE: cannot read " + missing);
  }
}
