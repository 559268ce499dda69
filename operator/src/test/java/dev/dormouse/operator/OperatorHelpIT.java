package dev.dormouse.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar dormouse-operator.jar --help}, the jar this build made, with no settings. */
class OperatorHelpIT {

  private static final Path JAR = Path.of("target/dormouse-operator.jar");

  @TempDir Path dir;

  private ManagedProcess run(String... args) throws Exception {
    ManagedProcess process =
        ManagedProcess.java(JAR).named("operator").in(dir).env(Map.of()).start(args);
    assertThat(process.waitFor(Duration.ofSeconds(60))).as("%s exits", process).isTrue();
    return process;
  }

  @Test
  void helpListsEveryVariableWithItsDefaultWithoutRedis() throws Exception {
    try (ManagedProcess process = run("--help")) {
      assertThat(process.exitValue()).isZero();
      String help = process.output();
      assertThat(help).startsWith("usage: java -jar dormouse-operator.jar [--config FILE]");
      for (String variable :
          List.of(
              OperatorConfig.REDIS_URL,
              OperatorConfig.OWNER_IMAGE,
              OperatorConfig.WATCH_NAMESPACES,
              OperatorConfig.LINK_SECRET_NAME,
              OperatorConfig.REDIS_SECRET_NAME,
              OperatorConfig.HEALTH_PORT,
              OperatorConfig.RECONCILE_INTERVAL,
              OperatorConfig.LEADER_ELECTION,
              OperatorConfig.LEASE_NAMESPACE)) {
        assertThat(help).contains("  " + variable + "\n");
      }
      assertThat(help)
          .contains("(default: " + OperatorConfig.DEFAULT_OWNER_IMAGE + ")")
          .contains("(default: " + OperatorConfig.DEFAULT_HEALTH_PORT + ")")
          .contains("(default: " + OperatorConfig.DEFAULT_RECONCILE_INTERVAL + ")");
    }
  }

  @Test
  void anUnknownArgumentIsOneLineNamingItAndStatus2() throws Exception {
    try (ManagedProcess process = run("--verbose")) {
      assertThat(process.exitValue()).isEqualTo(2);
      assertThat(process.output())
          .isEqualTo("dormouse-operator: unknown argument --verbose (try --help)");
    }
  }

  @Test
  void noRedisUrlIsOneLineNamingItAndStatus2() throws Exception {
    try (ManagedProcess process = run()) {
      assertThat(process.exitValue()).isEqualTo(2);
      assertThat(process.output())
          .startsWith("dormouse-operator: REDIS_URL is required")
          .doesNotContain("\n");
    }
  }
}
