package dev.dormouse;

import dev.dormouse.local.LocalRun;
import dev.dormouse.local.RoomFiles;
import dev.dormouse.node.BadSettingException;
import dev.dormouse.node.EnvironmentHelp;
import dev.dormouse.node.GatewaySettings;
import dev.dormouse.node.OwnerSettings;
import dev.dormouse.node.Roles;
import dev.dormouse.publish.PublishToken;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** {@code java -jar dormouse.jar dev|gateway|owner [options]}. */
public final class Main {

  private static final String USAGE =
      """
      usage: java -jar dormouse.jar ROLE [--help]
        dev      gateway and room runtime in one JVM: a local run, nothing to install or configure
        gateway  client-facing gateway of a cluster, configured by environment
        owner    room owner of a cluster, configured by environment
      java -jar dormouse.jar ROLE --help prints the role's options or environment variables.
      """;

  private static final String DEV_USAGE =
      """
      usage: java -jar dormouse.jar dev [--rooms DIR] [--lib DIR] [--port N] [--admin-port N] [--host ADDR]
                                        [--secrets DIR] [--default-room NAME] [--redis URL] [--publish-port N]
        gateway and room runtime in one JVM, embedded Redis unless --redis or REDIS_URL is given.
        --rooms DIR        WebSocketRoom YAML files to serve; default examples/rooms when run in the
                           repository, else the built-in rooms example, echo and chat
        --lib DIR          room code (default: the --rooms folder): the modules of js:<file>#<Export>
                           handlers, <file> relative to it, and the jars in it
        --secrets DIR      secrets for spec.auth, as DIR/<name>/<key> (default examples/secrets)
        --port N           client port (default 8080); --admin-port N: /metrics (default 9090)
        --host ADDR        address the ports bind to (default 0.0.0.0)
        --default-room N   the room served at /websocket (default example, or DORMOUSE_DEFAULT_ROOM)
        --redis URL        an external Redis (default REDIS_URL, else an embedded one)
        --publish-port N   the publish API (default 8081), its token DORMOUSE_PUBLISH_TOKEN or a
                           random one printed at start
      """;

  private static final Set<String> HELP = Set.of("--help", "-h");

  private Main() {}

  public static void main(String[] args) throws Exception {
    // Undertow and XNIO log through java.util.logging: send it to the one SLF4J backend.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    String command = rest.isEmpty() ? "" : rest.pop();
    switch (command) {
      case "dev" -> dev(rest);
      case "gateway" ->
          role(
              rest,
              EnvironmentHelp.usage("gateway", EnvironmentHelp.GATEWAY),
              () -> Roles.gateway(GatewaySettings.fromEnvironment(System.getenv())));
      case "owner" ->
          role(
              rest,
              EnvironmentHelp.usage("owner", EnvironmentHelp.OWNER),
              () -> Roles.owner(OwnerSettings.fromEnvironment(System.getenv())));
      case "-h", "--help", "help" -> System.out.print(USAGE);
      case "" -> {
        System.err.print(USAGE);
        System.exit(2);
      }
      default -> usageError("unknown role '" + command + "'");
    }
  }

  private static void dev(Deque<String> args) throws Exception {
    LocalRun.Config defaults = LocalRun.Config.defaults();
    Optional<Path> rooms = defaults.roomsDir();
    Optional<Path> lib = Optional.empty(); // the rooms folder unless given
    Path secrets = defaults.secretsDir();
    String host = defaults.host();
    int port = defaults.port();
    int adminPort = defaults.adminPort();
    String defaultRoom =
        Optional.ofNullable(System.getenv("DORMOUSE_DEFAULT_ROOM")).orElse(defaults.defaultRoom());
    Optional<String> redis = defaults.redisUrl();
    int publishPort = GatewaySettings.DEFAULT_PUBLISH_PORT;
    while (!args.isEmpty()) {
      String flag = args.pop();
      if (HELP.contains(flag)) {
        System.out.print(DEV_USAGE);
        return;
      }
      if (!flag.startsWith("--")) {
        usageError("unknown argument " + flag);
      }
      if (args.isEmpty()) {
        usageError(flag + " needs a value");
      }
      String value = args.pop();
      switch (flag) {
        case "--rooms" -> rooms = Optional.of(roomsFolder(value));
        case "--lib" -> lib = Optional.of(Path.of(value));
        case "--secrets" -> secrets = Path.of(value);
        case "--host" -> host = value;
        case "--port" -> port = parsePort(flag, value);
        case "--admin-port" -> adminPort = parsePort(flag, value);
        case "--default-room" -> defaultRoom = value;
        case "--redis" -> redis = Optional.of(value);
        case "--publish-port" -> publishPort = parsePort(flag, value);
        default -> usageError("unknown option " + flag);
      }
    }
    Optional<byte[]> publishToken = Optional.empty();
    Optional<byte[]> adminToken = Optional.empty();
    try {
      publishToken = GatewaySettings.publishToken(System.getenv());
      adminToken = GatewaySettings.adminToken(System.getenv());
    } catch (BadSettingException e) {
      fail(e.getMessage());
    }
    if (rooms.isEmpty()) {
      System.out.println(
          "no rooms folder: serving the built-in rooms " + String.join(", ", RoomFiles.BUILT_IN));
    }
    LocalRun run;
    try {
      run =
          LocalRun.start(
              new LocalRun.Config(
                  rooms,
                  lib.orElse(rooms.orElse(defaults.libDir())),
                  host,
                  port,
                  adminPort,
                  redis,
                  secrets,
                  defaultRoom,
                  defaults.wakeTimeout(),
                  defaults.outboundLimitBytes(),
                  defaults.threads(),
                  defaults.edge(),
                  adminToken));
    } catch (RoomFiles.BadRoomFileException e) {
      fail("bad room file " + e.getMessage());
      return;
    }
    System.out.printf(
        "Dormouse is running: ws://localhost:%d/websocket (metrics on http://localhost:%d/metrics)%n",
        run.gatewayAddress().getPort(), run.adminAddress().getPort());
    System.out.printf("admin page: http://localhost:%d/%n", run.adminAddress().getPort());
    servePublishApi(run, publishPort, publishToken);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    run.close();
                  } catch (Exception e) {
                    System.err.println("error while stopping: " + e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "shutdown"));
    stopped.await();
  }

  /**
   * The dev run serves the publish API too: with {@code DORMOUSE_PUBLISH_TOKEN} as its token if set,
   * else with a random one, printed, as nothing else would know it.
   */
  private static void servePublishApi(LocalRun run, int port, Optional<byte[]> given) {
    String shown = "from " + GatewaySettings.PUBLISH_TOKEN;
    byte[] token;
    if (given.isPresent()) {
      token = given.get();
    } else {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      shown = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      token = shown.getBytes(StandardCharsets.UTF_8);
    }
    InetSocketAddress address = run.servePublishApi(port, new PublishToken(token));
    System.out.printf(
        "Publish API: http://localhost:%d/v1/rooms/{room}[/{instance}]/messages, token %s%n",
        address.getPort(), shown);
  }

  private interface RoleStarter {
    Roles.Running start() throws Exception;
  }

  /**
   * Runs a cluster role until SIGTERM, then drains it: clients and rooms are told, nothing is lost.
   * Its only argument is a request for its help, which needs none of its settings.
   */
  private static void role(Deque<String> args, String help, RoleStarter starter) throws Exception {
    if (!args.isEmpty()) {
      if (HELP.contains(args.peek())) {
        System.out.print(help);
        return;
      }
      usageError("unknown argument " + args.peek());
    }
    Roles.Running running;
    try {
      running = starter.start();
    } catch (BadSettingException | RoomFiles.BadRoomFileException e) {
      fail(e.getMessage());
      return;
    } catch (Exception e) {
      // Exit rather than linger half started: a pod that cannot start must be restarted, not kept.
      System.err.println("dormouse: cannot start: " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    running.drain();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    running.close();
                    stopped.countDown();
                  }
                  // The stop SIGTERM asked for is done: status 0, where the JVM would report 143,
                  // read as a crash.
                  Runtime.getRuntime().halt(0);
                },
                "shutdown"));
    stopped.await();
  }

  /** A {@code --rooms} folder that is not there is a typo, not a wish for the built-in rooms. */
  private static Path roomsFolder(String value) {
    Path dir = Path.of(value);
    if (!Files.isDirectory(dir)) {
      usageError("--rooms " + value + ": no such folder");
    }
    return dir;
  }

  private static int parsePort(String flag, String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    usageError(flag + " must be a port number, got '" + value + "'");
    return -1;
  }

  /** A mistake in the command line: one line pointing at the help, status 2. */
  private static void usageError(String message) {
    fail(message + " (try --help)");
  }

  /** A setting or a file the process cannot start with: one line, status 2. */
  private static void fail(String message) {
    System.err.println("dormouse: " + message);
    System.exit(2);
  }
}
