package dev.dormouse.node;

import dev.dormouse.gateway.EdgeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code gateway --help} and {@code owner --help} print: every variable the role's settings
 * read, its default and its meaning, named by the settings' own constants (EnvironmentHelpTest
 * checks that it lists exactly what they read).
 */
public final class EnvironmentHelp {

  /**
   * One variable; {@code withFile}: {@code NAME_FILE} may name a file holding the value instead.
   */
  public record Variable(String name, boolean withFile, String fallback, String meaning) {

    /** The names the role reads for it. */
    public Stream<String> names() {
      return withFile ? Stream.of(name, name + "_FILE") : Stream.of(name);
    }

    String line() {
      String names = withFile ? name + " / " + name + "_FILE" : name;
      String shown = fallback.startsWith("required") ? fallback : "default: " + fallback;
      return String.format("  %s%n      %s (%s)%n", names, meaning, shown);
    }
  }

  private static final List<Variable> BOTH =
      List.of(
          of(
              RoleSettings.REDIS_URL,
              "required",
              "Redis URL: redis://, rediss://, redis[s]-sentinel://…#master, redis[s]-cluster://"),
          of(
              RoleSettings.BIND_ADDRESS,
              RoleSettings.DEFAULT_BIND_ADDRESS,
              "address the ports bind to"),
          of(
              RoleSettings.ADMIN_PORT,
              RoleSettings.DEFAULT_ADMIN_PORT,
              "port of /healthz, /readyz, /metrics"),
          of(
              RoleSettings.LINK_PORT,
              RoleSettings.DEFAULT_LINK_PORT,
              "the owners' link port (where an owner listens, where a gateway finds owner pods)"),
          new Variable(
              RoleSettings.LINK_SECRET,
              true,
              "required",
              "the link's shared secret, at least " + Environment.MIN_SECRET_BYTES + " bytes"),
          of(
              RoleSettings.WAKE_TIMEOUT,
              RoleSettings.DEFAULT_WAKE_TIMEOUT,
              "how long events wait for a room to wake before 1013 / 503"));

  /** The gateway's variables, those both roles read first. */
  public static final List<Variable> GATEWAY =
      concat(
          BOTH,
          List.of(
              of(GatewaySettings.PORT, GatewaySettings.DEFAULT_PORT, "client port"),
              of(
                  GatewaySettings.GATEWAY_ID,
                  "host name + random suffix",
                  "this gateway's id in the registry"),
              of(
                  GatewaySettings.NAMESPACE,
                  "the pod's namespace, rooms of every namespace watched",
                  "namespace whose rooms are served and watched"),
              of(
                  GatewaySettings.DEFAULT_ROOM,
                  GatewaySettings.DEFAULT_DEFAULT_ROOM,
                  "the room served at /websocket"),
              of(
                  GatewaySettings.SECRETS_DIR,
                  GatewaySettings.DEFAULT_SECRETS_DIR,
                  "Secrets named by spec.auth.secretRef, read as <dir>/<name>/<key>"),
              of(
                  GatewaySettings.OWNERS,
                  "unset: owners and rooms found in Kubernetes",
                  "static owners [id=]host:port,… for runs without Kubernetes"),
              of(
                  GatewaySettings.ROOMS_DIR,
                  "required with " + GatewaySettings.OWNERS,
                  "WebSocketRoom files, for runs without Kubernetes"),
              of(
                  GatewaySettings.START_TIMEOUT,
                  GatewaySettings.DEFAULT_START_TIMEOUT,
                  "how long listing the rooms, then the owner pods, may each take"),
              of(
                  GatewaySettings.DRAIN_TIMEOUT,
                  GatewaySettings.DEFAULT_DRAIN_TIMEOUT,
                  "how long the drain after SIGTERM may take"),
              of(
                  GatewaySettings.DEAD_AFTER,
                  GatewaySettings.DEFAULT_DEAD_AFTER,
                  "a gateway silent this long is dead; its connections are reaped"),
              of(
                  GatewaySettings.OWNER_LINK_GRACE,
                  GatewaySettings.DEFAULT_OWNER_LINK_GRACE,
                  "an owner whose link is down this long leaves the ring until it is back"),
              of(
                  GatewaySettings.HANDSHAKE_TIMEOUT,
                  EdgeSettings.DEFAULT_HANDSHAKE_TIMEOUT,
                  "time for a request's head to arrive once its first byte has"),
              of(
                  GatewaySettings.IDLE_TIMEOUT,
                  EdgeSettings.DEFAULT_IDLE_TIMEOUT,
                  "time a TCP connection may stay open without sending a request"),
              of(
                  GatewaySettings.CLOSE_TIMEOUT,
                  EdgeSettings.DEFAULT_CLOSE_TIMEOUT,
                  "time a client has to answer the gateway's close frame (or leave)"),
              of(
                  GatewaySettings.MAX_PENDING_UPGRADES,
                  EdgeSettings.DEFAULT_MAX_PENDING_UPGRADES,
                  "upgrades waiting for their room's answer at once (HTTP into rooms apart); past it 503"),
              of(
                  GatewaySettings.MAX_HEADER_BYTES,
                  EdgeSettings.DEFAULT_MAX_HEADER_BYTES,
                  "largest request head accepted, in bytes"),
              new Variable(
                  GatewaySettings.PUBLISH_TOKEN,
                  true,
                  "unset: the publish API is off",
                  "bearer token of the publish API, at least "
                      + Environment.MIN_SECRET_BYTES
                      + " bytes"),
              of(
                  GatewaySettings.PUBLISH_PORT,
                  GatewaySettings.DEFAULT_PUBLISH_PORT,
                  "the publish API's port"),
              new Variable(
                  GatewaySettings.ADMIN_TOKEN,
                  true,
                  "unset: the admin page and API are off",
                  "bearer token of the admin page and API on the admin port, at least "
                      + Environment.MIN_SECRET_BYTES
                      + " bytes")));

  /** The owner's variables, those both roles read first. */
  public static final List<Variable> OWNER =
      concat(
          BOTH,
          List.of(
              of(
                  OwnerSettings.OWNER_ID,
                  "host name",
                  "this owner's id (the pod name), its leases' holder"),
              of(
                  OwnerSettings.ROOM,
                  "unset: rooms from " + OwnerSettings.ROOMS_DIR,
                  "namespace/room this owner serves (written by the operator)"),
              of(
                  OwnerSettings.ROOM_SPEC,
                  "required with " + OwnerSettings.ROOM,
                  "that room's spec as JSON"),
              of(
                  OwnerSettings.ROOMS_DIR,
                  "required without " + OwnerSettings.ROOM,
                  "WebSocketRoom files, for runs without Kubernetes"),
              of(
                  OwnerSettings.NAMESPACE,
                  OwnerSettings.DEFAULT_NAMESPACE,
                  "namespace of the rooms read from files"),
              of(
                  OwnerSettings.LIB_DIR,
                  OwnerSettings.DEFAULT_LIB_DIR,
                  "room library: jars of room classes, modules of js:<file>#<Export> handlers"),
              of(
                  OwnerSettings.LEASE_TTL,
                  OwnerSettings.DEFAULT_LEASE_TTL,
                  "a room lease's time to live; renewed every third of it"),
              of(
                  OwnerSettings.LEASE_REPLICAS,
                  "1 with redis[s]-sentinel://, else 0",
                  "Redis replicas that must acknowledge each lease grant and renewal"),
              of(
                  OwnerSettings.DRAIN_TIMEOUT,
                  OwnerSettings.DEFAULT_DRAIN_TIMEOUT,
                  "how long the drain after SIGTERM may take")));

  private EnvironmentHelp() {}

  /** The help of a role: its usage line, then each variable. */
  public static String usage(String role, List<Variable> variables) {
    StringBuilder text =
        new StringBuilder(
            String.format(
                "usage: java -jar dormouse.jar %s%n"
                    + "Configured by environment variables (a blank value counts as unset; a bad"
                    + " one stops the role with status 2):%n",
                role));
    variables.forEach(variable -> text.append(variable.line()));
    return text.toString();
  }

  private static Variable of(String name, Object fallback, String meaning) {
    return new Variable(name, false, shown(fallback), meaning);
  }

  private static String shown(Object fallback) {
    if (fallback instanceof Duration duration) {
      return duration.toMillis() % 1000 == 0
          ? duration.toSeconds() + "s"
          : duration.toMillis() + "ms";
    }
    return fallback.toString();
  }

  private static List<Variable> concat(List<Variable> first, List<Variable> then) {
    List<Variable> all = new ArrayList<>(first);
    all.addAll(then);
    return List.copyOf(all);
  }
}
