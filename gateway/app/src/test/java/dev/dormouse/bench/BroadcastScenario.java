package dev.dormouse.bench;

import java.util.Map;

/**
 * Deliveries per second into one room instance of N sockets: one socket sends M messages back to
 * back, the {@link BroadcastRoom} sends each to all N, and the clock (in the client process) stops
 * when every socket has every message. The server's allocated bytes per delivery are taken too: if
 * the payload were copied per socket they would grow with the payload size.
 */
final class BroadcastScenario {

  private final BenchOptions options;
  private final Report report;

  BroadcastScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    report.line("### broadcast");
    report.line("");
    header();
    for (int size : options.broadcastSizes()) {
      runOne(size, options.payloadBytes(), options.broadcastDeliveries());
    }
    // The same room with a 32× larger payload: allocation per delivery should not follow it. A
    // tenth of the messages, so that the burst still fits the sockets' kernel buffers (see docs).
    int smallest = options.broadcastSizes().get(0);
    runOne(smallest, options.payloadBytes() * 32, options.broadcastDeliveries() / 10);
    report.line("");
  }

  void header() {
    report.line(
        "| sockets in the room | payload | messages | deliveries | complete | seconds | deliveries/s | cores busy: server / client | deliveries per server CPU-second | server heap allocated / delivery | target |");
    report.line("|---|---|---|---|---|---|---|---|---|---|---|");
  }

  private void runOne(int size, int payload, long deliveries) throws Exception {
    runOne(
        new Fanout(String.valueOf(size), "/rooms/fanout/room" + size, 1, 0, "≥ 500,000 (at 10k)"),
        size,
        payload,
        deliveries);
  }

  /**
   * A room to fan out through: how its row is labelled, its path, how many copies of each message
   * every socket gets and how far into each copy the sent text starts, and the target it is held to.
   */
  record Fanout(String label, String path, int copies, int skip, String target) {}

  private static String completion(Map<String, String> r, int size) {
    return r.get("complete").equals("true")
        ? "yes"
        : "**no**: "
            + r.get("socketsComplete")
            + "/"
            + size
            + " sockets got all, the least got "
            + r.get("leastReceived")
            + ", "
            + r.get("closedByServer")
            + " closed";
  }

  void runOne(Fanout room, int size, int payload, long deliveries) throws Exception {
    int messages = (int) Math.max(10, deliveries / ((long) size * room.copies()));
    String copies = " " + room.copies() + " " + room.skip();
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      Map<String, String> opened = client.call("open " + server.ws(room.path()) + " " + size);
      if (!opened.get("failed").equals("0")) {
        report.line(
            "| "
                + room.label()
                + " | "
                + payload
                + " B | — | — | — | — | — | — | only "
                + opened.get("open")
                + " opened, first failure "
                + opened.get("firstFailure")
                + " |");
        return;
      }
      // Warm-up: the JIT compiles the broadcast path before the clock runs.
      client.call("broadcast " + Math.max(5, messages / 10) + " " + payload + copies);
      long allocatedBefore = BenchServer.allocatedBytes();
      long cpuBefore = BenchServer.processCpuNanos();
      Map<String, String> r = client.call("broadcast " + messages + " " + payload + copies);
      long serverCpu = BenchServer.processCpuNanos() - cpuBefore;
      long allocated = BenchServer.allocatedBytes() - allocatedBefore;
      double seconds = Long.parseLong(r.get("elapsedNs")) / 1e9;
      long delivered = Long.parseLong(r.get("delivered"));
      report.line(
          String.format(
              "| %s | %d B | %d | %d | %s | %.2f | **%,d** | %.2f / %.2f | %,.0f | %.0f B | %s |",
              room.label(),
              payload,
              messages,
              delivered,
              completion(r, size),
              seconds,
              Long.parseLong(r.get("perSecond")),
              serverCpu / 1e9 / seconds,
              Long.parseLong(r.get("cpuNs")) / 1e9 / seconds,
              delivered / (serverCpu / 1e9),
              allocated / (double) Math.max(1, delivered),
              room.target()));
    }
  }
}
