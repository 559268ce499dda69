package dev.dormouse.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The flags of the {@code socketio} scenario (issue 15, Socket.IO 4 side by side). Defaults are
 * the sizes: 10 and 50 sockets at 5,000 msg/s, 2,000 joins into the chat room.
 */
record SocketIoOptions(
    Path prefix,
    List<Integer> roundTripSockets,
    int rate,
    int fanoutSockets,
    long fanoutDeliveries,
    int idleSockets,
    int joins) {

  static final String USAGE =
      """
        --socketio=DIR               npm prefix holding socket.io 4 (default: $SOCKETIO_BENCH,
                                     else /tmp/socketio-bench; install: see docs/benchmarks.md)
        --sio-sockets=10,50          socketio: room sizes of the round trip, one run each
        --sio-rate=5000              socketio: messages per second of the round trip
        --sio-fanout-sockets=1000    socketio: room size of the deliveries per CPU-second
        --sio-fanout-deliveries=1000000  socketio: deliveries of that run
        --sio-idle-sockets=10000     socketio: idle sockets for resident memory per connection
        --sio-joins=2000             socketio: joins into the chat room (and half as many)
      """;

  private static final Path DEFAULT_PREFIX = Path.of("/tmp/socketio-bench");

  /** Takes this scenario's flags out of {@code flags}. */
  static SocketIoOptions parse(Map<String, String> flags) {
    Path prefix =
        Optional.ofNullable(flags.remove("socketio"))
            .or(() -> Optional.ofNullable(System.getenv("SOCKETIO_BENCH")))
            .map(Path::of)
            .orElse(DEFAULT_PREFIX);
    return new SocketIoOptions(
        prefix,
        Arrays.stream(take(flags, "sio-sockets", "10,50").split(","))
            .map(Integer::parseInt)
            .toList(),
        Integer.parseInt(take(flags, "sio-rate", "5000")),
        Integer.parseInt(take(flags, "sio-fanout-sockets", "1000")),
        Long.parseLong(take(flags, "sio-fanout-deliveries", "1000000")),
        Integer.parseInt(take(flags, "sio-idle-sockets", "10000")),
        Integer.parseInt(take(flags, "sio-joins", "2000")));
  }

  /** Whether {@code npm install --prefix DIR socket.io@4} was done. */
  boolean installed() {
    return Files.isRegularFile(packageJson());
  }

  Path packageJson() {
    return prefix.resolve("node_modules/socket.io/package.json");
  }

  private static String take(Map<String, String> flags, String name, String fallback) {
    String value = flags.remove(name);
    return value == null ? fallback : value;
  }
}
