package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.node.EnvironmentHelp;
import dev.dormouse.testing.DormouseProcess;
import dev.dormouse.testing.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code java -jar dormouse.jar [ROLE] --help} as a newcomer types it: in an empty folder, with no
 * REDIS_URL or any other setting.
 */
class RoleHelpIT {

  @TempDir Path dir;

  /** Runs the jar to its end; its output, after checking its status. */
  private String run(int status, String... args) throws Exception {
    try (ManagedProcess process = DormouseProcess.start(dir, Map.of(), args)) {
      assertThat(process.waitFor(Duration.ofSeconds(60))).as("%s exits", process).isTrue();
      assertThat(process.exitValue())
          .as("status of %s:%n%s", process, process.output())
          .isEqualTo(status);
      return process.output();
    }
  }

  @Test
  void topLevelHelpListsTheRoles() throws Exception {
    String help = run(0, "--help");
    assertThat(help).contains("usage: java -jar dormouse.jar ROLE");
    assertThat(help.lines().map(String::strip))
        .anySatisfy(line -> assertThat(line).startsWith("dev "))
        .anySatisfy(line -> assertThat(line).startsWith("gateway "))
        .anySatisfy(line -> assertThat(line).startsWith("owner "));
  }

  @Test
  void devHelpListsItsOptions() throws Exception {
    String help = run(0, "dev", "-h");
    assertThat(help).startsWith("usage: java -jar dormouse.jar dev");
    for (String option :
        List.of("--rooms", "--lib", "--port", "--admin-port", "--host", "--secrets")) {
      assertThat(help).contains(option);
    }
    assertThat(help).contains("--default-room", "--redis", "--publish-port");
    assertThat(help).doesNotContain("Dormouse is running");
  }

  @Test
  void gatewayHelpListsEveryVariableWithItsDefaultWithoutRedis() throws Exception {
    String help = run(0, "gateway", "--help");
    assertThat(help)
        .startsWith("usage: java -jar dormouse.jar gateway")
        .doesNotContain("must be set");
    EnvironmentHelp.GATEWAY.forEach(
        variable -> assertThat(help).contains(variable.name()).contains(variable.fallback()));
  }

  @Test
  void ownerHelpListsEveryVariableWithItsDefaultWithoutRedis() throws Exception {
    String help = run(0, "owner", "--help");
    assertThat(help)
        .startsWith("usage: java -jar dormouse.jar owner")
        .doesNotContain("must be set");
    EnvironmentHelp.OWNER.forEach(
        variable -> assertThat(help).contains(variable.name()).contains(variable.fallback()));
  }

  @ParameterizedTest
  @CsvSource({
    "gateway --verbose, unknown argument --verbose",
    "owner extra, unknown argument extra",
    "dev --colour blue, unknown option --colour",
    "dev stray, unknown argument stray",
    "serve, unknown role 'serve'"
  })
  void anUnknownArgumentIsOneLineNamingItAndStatus2(String command, String error) throws Exception {
    String output = run(2, command.split(" "));
    assertThat(output).isEqualTo("dormouse: " + error + " (try --help)");
  }
}
