package dev.dormouse.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The roles' help lists exactly the variables their settings read, with the defaults they use. */
class EnvironmentHelpTest {

  /** An environment that notes every name read from it. */
  private static final class Recording extends HashMap<String, String> {
    final Set<String> read = new TreeSet<>();

    Recording(Map<String, String> values) {
      super(values);
    }

    @Override
    public String get(Object name) {
      read.add((String) name);
      return super.get(name);
    }
  }

  private static final Map<String, String> BOTH =
      Map.of(
          "REDIS_URL", "redis://redis:6379",
          "DORMOUSE_BIND_ADDRESS", "127.0.0.1",
          "DORMOUSE_ADMIN_PORT", "9091",
          "DORMOUSE_LINK_PORT", "7071",
          "DORMOUSE_LINK_SECRET", "0123456789abcdef0123",
          "DORMOUSE_WAKE_TIMEOUT", "5s");

  @Test
  void gatewayHelpListsWhatTheGatewayReads() {
    Map<String, String> values = new HashMap<>(BOTH);
    // Every optional part switched on, so that every variable is read.
    values.putAll(
        Map.of(
            GatewaySettings.OWNERS, "a=owner:7070",
            GatewaySettings.ROOMS_DIR, "/rooms",
            GatewaySettings.GATEWAY_ID, "gw-1",
            GatewaySettings.PUBLISH_TOKEN, "0123456789abcdef0123"));
    Recording env = new Recording(values);
    GatewaySettings.fromEnvironment(env);
    assertThat(env.read).isEqualTo(names(EnvironmentHelp.GATEWAY));
  }

  @Test
  void ownerHelpListsWhatTheOwnerReads() {
    Recording assigned = new Recording(withBoth(OwnerSettings.ROOM, "ns/room"));
    assigned.put(OwnerSettings.ROOM_SPEC, "{}");
    assigned.put(OwnerSettings.OWNER_ID, "owner-1");
    OwnerSettings.fromEnvironment(assigned);
    Recording fromFiles = new Recording(withBoth(OwnerSettings.ROOMS_DIR, "/rooms"));
    fromFiles.put(OwnerSettings.OWNER_ID, "owner-1");
    OwnerSettings.fromEnvironment(fromFiles);
    Set<String> read = new TreeSet<>(assigned.read);
    read.addAll(fromFiles.read);
    assertThat(read).isEqualTo(names(EnvironmentHelp.OWNER));
  }

  @Test
  void helpShowsTheDefaultsTheSettingsUse() {
    String gateway = EnvironmentHelp.usage("gateway", EnvironmentHelp.GATEWAY);
    assertThat(gateway)
        .startsWith("usage: java -jar dormouse.jar gateway")
        .contains(
            "  DORMOUSE_DRAIN_TIMEOUT\n      how long the drain after SIGTERM may take (default: 20s)")
        .contains("  DORMOUSE_PORT\n      client port (default: 8080)")
        .contains("  DORMOUSE_LINK_SECRET / DORMOUSE_LINK_SECRET_FILE\n")
        .contains("(required)");
    assertThat(EnvironmentHelp.usage("owner", EnvironmentHelp.OWNER))
        .contains(
            "  DORMOUSE_DRAIN_TIMEOUT\n      how long the drain after SIGTERM may take (default: 25s)")
        .contains("  DORMOUSE_LIB_DIR\n")
        .contains("(default: /opt/dormouse/lib)")
        .doesNotContain("DORMOUSE_PORT");
  }

  private static Map<String, String> withBoth(String name, String value) {
    Map<String, String> values = new HashMap<>(BOTH);
    values.put(name, value);
    return values;
  }

  private static Set<String> names(List<EnvironmentHelp.Variable> variables) {
    return variables.stream()
        .flatMap(EnvironmentHelp.Variable::names)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
