package dev.dormouse.node;

import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.gateway.EdgeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The gateway role's settings, read from its environment in one place; every default is named here
 * (the edge's own limits in {@link EdgeSettings}) and every error names its variable.
 *
 * @param role what every cluster role reads
 * @param gatewayId this gateway's id in the registry
 * @param port the client port
 * @param namespace the namespace whose rooms are served and watched; empty: the pod's own namespace
 *     is served, and rooms of every namespace are watched
 * @param defaultRoom the room served at {@code /websocket}
 * @param secretsDir where Secrets named by {@code spec.auth.secretRef} are mounted
 * @param staticCluster owners and rooms given by configuration; empty: found in Kubernetes
 * @param startTimeout how long listing the rooms, then the owner pods, may each take (Kubernetes)
 * @param drainTimeout how long the drain after SIGTERM may take
 * @param deadAfter how long a gateway may be silent before its connections are reaped
 * @param ownerLinkGrace how long an owner's link may be down before the owner leaves the ring
 * @param edge the gateway's limits on client connections
 * @param publish the publish API's port and token; empty (no token set): the API is not served
 * @param adminToken the admin page's and API's token; empty: they are off ({@code docs/admin.md})
 */
public record GatewaySettings(
    RoleSettings role,
    String gatewayId,
    int port,
    Optional<String> namespace,
    String defaultRoom,
    Path secretsDir,
    Optional<StaticCluster> staticCluster,
    Duration startTimeout,
    Duration drainTimeout,
    Duration deadAfter,
    Duration ownerLinkGrace,
    EdgeSettings edge,
    Optional<Publish> publish,
    Optional<byte[]> adminToken) {

  /** The publish API ({@code docs/publish.md}): its port and the bearer token callers present. */
  public record Publish(int port, byte[] token) {}

  /** Owners ({@code DORMOUSE_OWNERS}) and room files ({@code DORMOUSE_ROOMS_DIR}) for a run without Kubernetes. */
  public record StaticCluster(List<OwnerEndpoint> owners, Path roomsDir) {}

  public static final String GATEWAY_ID = "DORMOUSE_GATEWAY_ID";
  public static final String PORT = "DORMOUSE_PORT";
  public static final String NAMESPACE = "DORMOUSE_NAMESPACE";
  public static final String DEFAULT_ROOM = "DORMOUSE_DEFAULT_ROOM";
  public static final String SECRETS_DIR = "DORMOUSE_SECRETS_DIR";
  public static final String OWNERS = "DORMOUSE_OWNERS";
  public static final String ROOMS_DIR = "DORMOUSE_ROOMS_DIR";
  public static final String START_TIMEOUT = "DORMOUSE_START_TIMEOUT";
  public static final String DRAIN_TIMEOUT = "DORMOUSE_DRAIN_TIMEOUT";
  public static final String DEAD_AFTER = "DORMOUSE_GATEWAY_DEAD_AFTER";
  public static final String OWNER_LINK_GRACE = "DORMOUSE_OWNER_LINK_GRACE";
  public static final String HANDSHAKE_TIMEOUT = "DORMOUSE_HANDSHAKE_TIMEOUT";
  public static final String IDLE_TIMEOUT = "DORMOUSE_IDLE_CONNECTION_TIMEOUT";
  public static final String CLOSE_TIMEOUT = "DORMOUSE_CLOSE_TIMEOUT";
  public static final String MAX_PENDING_UPGRADES = "DORMOUSE_MAX_PENDING_UPGRADES";
  public static final String MAX_HEADER_BYTES = "DORMOUSE_MAX_HEADER_BYTES";
  public static final String PUBLISH_PORT = "DORMOUSE_PUBLISH_PORT";

  /** Or {@code DORMOUSE_PUBLISH_TOKEN_FILE}, a file holding it (a Secret's key, mounted). */
  public static final String PUBLISH_TOKEN = "DORMOUSE_PUBLISH_TOKEN";

  /**
   * Or {@code DORMOUSE_ADMIN_TOKEN_FILE}. The admin page and API ({@code docs/admin.md}): off while
   * unset, behind this bearer token when set.
   */
  public static final String ADMIN_TOKEN = "DORMOUSE_ADMIN_TOKEN";

  public static final int DEFAULT_PORT = 8080;
  public static final int DEFAULT_PUBLISH_PORT = 8081;
  public static final String DEFAULT_DEFAULT_ROOM = "example";
  public static final Path DEFAULT_SECRETS_DIR = Path.of("/etc/dormouse/secrets");
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_DEAD_AFTER = Duration.ofSeconds(10);
  public static final Duration DEFAULT_OWNER_LINK_GRACE = Duration.ofSeconds(2);

  /** How often a gateway beats in the registry: well under {@link #DEFAULT_DEAD_AFTER}. Not configurable. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(2);

  /**
   * How long a gateway keeps serving without a heartbeat Redis acknowledged: {@code deadAfter} less
   * a quarter. Both the reapers' verdict and this fence come from the one {@code deadAfter} so that
   * the gateway always stops first: a reaper counts {@code deadAfter} on its own monotonic clock from
   * when it first read a beat unchanged, which is no earlier than Redis wrote it, which is no earlier
   * than the gateway sent it; the gateway counts from that send time on its monotonic clock. The
   * quarter held back covers the fence's check period (a fifth of a heartbeat), closing the clients
   * and telling their rooms over links that are still up, and clocks that run slightly apart; a
   * process paused for longer than it (a stop-the-world pause) can still be reaped before it fences,
   * and then closes its clients when it beats again, as before.
   */
  public static Duration selfFenceAfter(Duration deadAfter) {
    return deadAfter.minus(deadAfter.dividedBy(4));
  }

  /** Bytes queued for one client before it counts as too slow and is closed with 1008. Not configurable. */
  public static final long OUTBOUND_LIMIT_BYTES = 16L << 20;

  /** @param environment the process's environment, e.g. {@link System#getenv()} */
  public static GatewaySettings fromEnvironment(Map<String, String> environment) {
    Environment env = new Environment(environment);
    return new GatewaySettings(
        RoleSettings.from(env),
        env.get(GATEWAY_ID)
            .orElseGet(() -> env.hostName() + "-" + UUID.randomUUID().toString().substring(0, 6)),
        env.port(PORT, DEFAULT_PORT),
        env.get(NAMESPACE),
        env.get(DEFAULT_ROOM, DEFAULT_DEFAULT_ROOM),
        env.get(SECRETS_DIR).map(Path::of).orElse(DEFAULT_SECRETS_DIR),
        staticCluster(env),
        env.duration(START_TIMEOUT, DEFAULT_START_TIMEOUT),
        env.duration(DRAIN_TIMEOUT, DEFAULT_DRAIN_TIMEOUT),
        env.duration(DEAD_AFTER, DEFAULT_DEAD_AFTER),
        env.duration(OWNER_LINK_GRACE, DEFAULT_OWNER_LINK_GRACE),
        new EdgeSettings(
            env.duration(HANDSHAKE_TIMEOUT, EdgeSettings.DEFAULT_HANDSHAKE_TIMEOUT),
            env.duration(IDLE_TIMEOUT, EdgeSettings.DEFAULT_IDLE_TIMEOUT),
            env.duration(CLOSE_TIMEOUT, EdgeSettings.DEFAULT_CLOSE_TIMEOUT),
            env.positiveInt(MAX_PENDING_UPGRADES, EdgeSettings.DEFAULT_MAX_PENDING_UPGRADES),
            env.positiveInt(MAX_HEADER_BYTES, EdgeSettings.DEFAULT_MAX_HEADER_BYTES)),
        publishToken(env)
            .map(token -> new Publish(env.port(PUBLISH_PORT, DEFAULT_PUBLISH_PORT), token)),
        env.optionalSecret(ADMIN_TOKEN));
  }

  /** The admin token as {@link #fromEnvironment} reads it; the dev run reads it here too. */
  public static Optional<byte[]> adminToken(Map<String, String> environment) {
    return new Environment(environment).optionalSecret(ADMIN_TOKEN);
  }

  /** What a cluster gateway's admin page and API answer while no token is set. */
  public static final String ADMIN_OFF_HINT =
      "set " + ADMIN_TOKEN + " or " + ADMIN_TOKEN + "_FILE (at least 16 bytes) to serve them";

  /**
   * The publish API's token ({@code DORMOUSE_PUBLISH_TOKEN} or {@code _FILE}), checked as the gateway
   * role checks it; empty when unset. The dev run reads it here too.
   */
  public static Optional<byte[]> publishToken(Map<String, String> environment) {
    return publishToken(new Environment(environment));
  }

  private static Optional<byte[]> publishToken(Environment env) {
    return env.optionalSecret(PUBLISH_TOKEN);
  }

  private static Optional<StaticCluster> staticCluster(Environment env) {
    Optional<String> owners = env.get(OWNERS);
    if (owners.isEmpty()) {
      return Optional.empty();
    }
    List<OwnerEndpoint> endpoints;
    try {
      endpoints = StaticOwnerDirectory.parse(owners.get());
    } catch (IllegalArgumentException e) {
      throw new BadSettingException(OWNERS + ": " + e.getMessage());
    }
    if (endpoints.isEmpty()) {
      throw new BadSettingException(
          OWNERS + " must list at least one owner as id=host:port, got '" + owners.get() + "'");
    }
    String roomsDir =
        env.get(ROOMS_DIR)
            .orElseThrow(
                () ->
                    new BadSettingException(
                        ROOMS_DIR
                            + " must be set with "
                            + OWNERS
                            + ": without Kubernetes the rooms come from files"));
    return Optional.of(new StaticCluster(endpoints, Path.of(roomsDir)));
  }
}
