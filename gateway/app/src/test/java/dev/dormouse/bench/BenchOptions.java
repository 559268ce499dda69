package dev.dormouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Command line: scenario names ({@code all}, {@code heap}, {@code echo}, {@code broadcast},
 * {@code revival}, {@code seed}, {@code js}, {@code socketio}, {@code ceiling}, {@code storm}, {@code accept}, {@code memory}, {@code containers}) and {@code --flag=value} options. Defaults keep a whole run
 * within a few minutes on 2 cores.
 */
record BenchOptions(
    List<String> scenarios,
    int heapSockets,
    int echoRate,
    int echoSeconds,
    int echoWarmupSeconds,
    int echoSockets,
    int payloadBytes,
    List<Integer> broadcastSizes,
    long broadcastDeliveries,
    List<Integer> revivalSizes,
    int revivalCycles,
    int clientLoops,
    int jsEchoRate,
    long jsFanoutDeliveries,
    // issue 15, ceiling / storm / accept (helper H2)
    List<Integer> ceilingSizes,
    int ceilingThreads,
    int stormSockets,
    int stormInFlight,
    int acceptSockets,
    int acceptBatch,
    // Issue 15, memory + chat (H3): scenario memory.
    List<Integer> memorySockets,
    int memoryHibernated,
    int memoryPerClient,
    Optional<Path> workerd,
    Path out,
    // Issue 15, Socket.IO side by side (helper H1): the socketio scenario's flags.
    SocketIoOptions socketIo,
    ContainerOptions containers) {

  static final String USAGE =
      """
      Bench [all|heap|echo|broadcast|revival|seed|js|socketio|ceiling|storm|accept|memory|containers ...] [--flag=value ...]
        --heap-sockets=10000         hibernated sockets for the heap measurement
        --echo-rate=5000             messages per second, all sockets together
        --echo-seconds=10            measured seconds (after the warm-up)
        --echo-warmup=3              warm-up seconds, not counted
        --echo-sockets=50            sockets the echo messages are spread over
        --payload=32                 bytes per echo / broadcast message
        --broadcast-sizes=1000,5000,10000   room sizes, one run each
        --broadcast-deliveries=2000000      deliveries per run (messages = this / size)
        --revival-sockets=1,1000     sockets of the revived instance, one run each
        --revival-cycles=5           hibernate-and-revive cycles per size
        --client-loops=1             selector threads of the load client
        --js-echo-rate=1000          js: messages per second over 10 sockets (20 deliveries each)
        --js-fanout-deliveries=2000000  js: deliveries per fan-out run over 2,000 sockets
        --ceiling-sizes=2000,10000   ceiling: room sizes, the bare Netty server and Dormouse each
        --ceiling-threads=2          ceiling: event loops of the bare Netty server
        --storm-sockets=10000        storm: sockets opened as fast as the client can
        --storm-in-flight=1000       storm: handshakes in flight at once (the open command: 200)
        --accept-sockets=2000        accept: sockets opened in all, per server
        --accept-batch=100           accept: sockets per batch (the next when all of it are open)
        --memory-sockets=2000,10000  memory: open sockets in the seed room, RSS at each count
        --memory-hibernated=100000   memory: hibernated sockets in one gateway (-Xmx1g), or as many
                                     as the server's open-files limit allows
        --memory-per-client=25000    memory: hibernated sockets per client process and source
                                     address (127.0.0.2, .3, …), at most its open-files limit
        --workerd=PATH               workerd binary for the seed comparison
                                     (default: $WORKERD, else /tmp/workerd-bench/node_modules/...)
        --out=target/bench-results.md
      """
          + SocketIoOptions.USAGE
          + ContainerOptions.USAGE;

  private static final Path NPM_WORKERD =
      Path.of("/tmp/workerd-bench/node_modules/@cloudflare/workerd-linux-64/bin/workerd");

  static BenchOptions parse(String[] args) {
    Map<String, String> flags = new HashMap<>();
    List<String> scenarios = new ArrayList<>();
    // exec:exec passes the whole -Dbench.args string as one argument: split it again.
    for (String arg : String.join(" ", args).trim().split("\\s+")) {
      if (arg.isEmpty()) {
        continue;
      }
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        if (eq < 0) {
          throw new IllegalArgumentException("flags are --name=value: " + arg + "\n" + USAGE);
        }
        flags.put(arg.substring(2, eq), arg.substring(eq + 1));
      } else {
        scenarios.add(arg);
      }
    }
    if (scenarios.isEmpty() || scenarios.contains("all")) {
      scenarios = List.of("heap", "echo", "seed", "broadcast", "revival", "js");
    }
    Optional<Path> workerd =
        Optional.ofNullable(flags.remove("workerd"))
            .or(() -> Optional.ofNullable(System.getenv("WORKERD")))
            .map(Path::of)
            .or(
                () ->
                    Files.isExecutable(NPM_WORKERD) ? Optional.of(NPM_WORKERD) : Optional.empty());
    BenchOptions options =
        new BenchOptions(
            List.copyOf(scenarios),
            integer(flags, "heap-sockets", 10_000),
            integer(flags, "echo-rate", 5_000),
            integer(flags, "echo-seconds", 10),
            integer(flags, "echo-warmup", 3),
            integer(flags, "echo-sockets", 50),
            integer(flags, "payload", 32),
            integers(flags, "broadcast-sizes", "1000,5000,10000"),
            Long.parseLong(flags.getOrDefault("broadcast-deliveries", "2000000")),
            integers(flags, "revival-sockets", "1,1000"),
            integer(flags, "revival-cycles", 5),
            integer(flags, "client-loops", 1),
            integer(flags, "js-echo-rate", 1_000),
            Long.parseLong(flags.getOrDefault("js-fanout-deliveries", "2000000")),
            integers(flags, "ceiling-sizes", "2000,10000"),
            integer(flags, "ceiling-threads", 2),
            integer(flags, "storm-sockets", 10_000),
            integer(flags, "storm-in-flight", 1_000),
            integer(flags, "accept-sockets", 2_000),
            integer(flags, "accept-batch", 100),
            integers(flags, "memory-sockets", "2000,10000"),
            integer(flags, "memory-hibernated", 100_000),
            integer(flags, "memory-per-client", 25_000),
            workerd,
            Path.of(flags.getOrDefault("out", "target/bench-results.md")),
            SocketIoOptions.parse(flags),
            ContainerOptions.parse(flags));
    flags
        .keySet()
        .removeAll(
            List.of(
                "heap-sockets",
                "echo-rate",
                "echo-seconds",
                "echo-warmup",
                "echo-sockets",
                "payload",
                "broadcast-sizes",
                "broadcast-deliveries",
                "revival-sockets",
                "revival-cycles",
                "client-loops",
                "js-echo-rate",
                "js-fanout-deliveries",
                "ceiling-sizes",
                "ceiling-threads",
                "storm-sockets",
                "storm-in-flight",
                "accept-sockets",
                "accept-batch",
                "memory-sockets",
                "memory-hibernated",
                "memory-per-client",
                "out"));
    if (!flags.isEmpty()) {
      throw new IllegalArgumentException("unknown flags " + flags.keySet() + "\n" + USAGE);
    }
    return options;
  }

  private static int integer(Map<String, String> flags, String name, int fallback) {
    return Integer.parseInt(flags.getOrDefault(name, String.valueOf(fallback)));
  }

  private static List<Integer> integers(Map<String, String> flags, String name, String fallback) {
    return Arrays.stream(flags.getOrDefault(name, fallback).split(","))
        .map(Integer::parseInt)
        .toList();
  }
}
