package dev.dormouse.node;

import dev.dormouse.contract.RedisUrl;
import dev.dormouse.store.RedisConnector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The owner role's settings, read from its environment in one place; every default is named here
 * and every error names its variable.
 *
 * @param role what every cluster role reads
 * @param ownerId this owner's id (the pod's name), the name its leases are held under
 * @param libDir the room library folder: jars with custom room classes, and the modules {@code
 *     js:<file>#<Export>} handlers name, relative to it
 * @param rooms the rooms this owner serves
 * @param leaseTtl how long a room's lease lives unless renewed (every third of it)
 * @param drainTimeout how long the drain after SIGTERM may take
 * @param leaseReplicas how many Redis replicas must acknowledge a lease grant or renewal (WAIT) before
 *     this owner counts on it; 0 waits for none
 */
public record OwnerSettings(
    RoleSettings role,
    String ownerId,
    Path libDir,
    Rooms rooms,
    Duration leaseTtl,
    Duration drainTimeout,
    int leaseReplicas) {

  /** Where an owner's rooms come from. */
  public sealed interface Rooms {}

  /** The one room the operator wrote into an owner pod: {@code namespace/room} and its spec as JSON. */
  public record AssignedRoom(String roomPath, String specJson) implements Rooms {}

  /** WebSocketRoom files, for runs without Kubernetes. */
  public record RoomFilesDir(Path dir, String namespace) implements Rooms {}

  public static final String OWNER_ID = "DORMOUSE_OWNER_ID";
  public static final String LIB_DIR = "DORMOUSE_LIB_DIR";
  public static final String ROOM = "DORMOUSE_ROOM";
  public static final String ROOM_SPEC = "DORMOUSE_ROOM_SPEC";
  public static final String ROOMS_DIR = "DORMOUSE_ROOMS_DIR";
  public static final String NAMESPACE = "DORMOUSE_NAMESPACE";
  public static final String LEASE_TTL = "DORMOUSE_LEASE_TTL";
  public static final String DRAIN_TIMEOUT = "DORMOUSE_DRAIN_TIMEOUT";

  /** Default: {@link RedisConnector#defaultLeaseReplicas}, 1 with a Sentinel URL, else 0. */
  public static final String LEASE_REPLICAS = "DORMOUSE_LEASE_REPLICAS";

  public static final Path DEFAULT_LIB_DIR = Path.of("/opt/dormouse/lib");

  /** The namespace of rooms read from files. */
  public static final String DEFAULT_NAMESPACE = "default";

  public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(25);

  /** How often an owner tells the operator how busy it is. Not configurable. */
  public static final Duration ACTIVITY_EVERY = Duration.ofSeconds(5);

  /** @param environment the process's environment, e.g. {@link System#getenv()} */
  public static OwnerSettings fromEnvironment(Map<String, String> environment) {
    Environment env = new Environment(environment);
    RoleSettings role = RoleSettings.from(env);
    return new OwnerSettings(
        role,
        env.get(OWNER_ID).orElseGet(env::hostName),
        env.get(LIB_DIR).map(Path::of).orElse(DEFAULT_LIB_DIR),
        rooms(env),
        env.duration(LEASE_TTL, DEFAULT_LEASE_TTL),
        env.duration(DRAIN_TIMEOUT, DEFAULT_DRAIN_TIMEOUT),
        env.nonNegativeInt(
            LEASE_REPLICAS, RedisConnector.defaultLeaseReplicas(RedisUrl.parse(role.redisUrl()))));
  }

  /** Threads that run room code: rooms block on Redis now and then, so more than the cores. Not configurable. */
  public static int roomThreads() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  private static Rooms rooms(Environment env) {
    if (env.get(ROOM).isEmpty()) {
      String dir =
          env.get(ROOMS_DIR)
              .orElseThrow(
                  () ->
                      new BadSettingException(
                          ROOMS_DIR
                              + " must be set when "
                              + ROOM
                              + " is not (the operator sets "
                              + ROOM
                              + " in owner pods)"));
      return new RoomFilesDir(Path.of(dir), env.get(NAMESPACE, DEFAULT_NAMESPACE));
    }
    String room = env.required(ROOM);
    String[] parts = room.split("/", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new BadSettingException(ROOM + " must be namespace/room, got '" + room + "'");
    }
    return new AssignedRoom(room, env.required(ROOM_SPEC));
  }
}
