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
    report.line("| sockets in the room | payload | messages | deliveries | complete | seconds | deliveries/s | server heap allocated / delivery | target |");
    report.line("|---|---|---|---|---|---|---|---|---|");
    for (int size : options.broadcastSizes()) {
      runOne(size, options.payloadBytes());
    }
    // The same room with a 32× larger payload: allocation per delivery should not follow it.
    int smallest = options.broadcastSizes().get(0);
    runOne(smallest, options.payloadBytes() * 32);
    report.line("");
  }

  private void runOne(int size, int payload) throws Exception {
    int messages = (int) Math.max(10, options.broadcastDeliveries() / size);
    try (BenchServer server = BenchServer.start(); ClientProcess client = ClientProcess.start(options.clientLoops())) {
      Map<String, String> opened = client.call("open " + server.ws("/rooms/fanout/room" + size) + " " + size);
      if (!opened.get("failed").equals("0")) {
        report.line("| " + size + " | " + payload + " B | — | — | — | — | — | — | only " + opened.get("open")
            + " opened, first failure " + opened.get("firstFailure") + " |");
        return;
      }
      // Warm-up: the JIT compiles the broadcast path before the clock runs.
      client.call("broadcast " + Math.max(5, messages / 10) + " " + payload);
      long allocatedBefore = BenchServer.allocatedBytes();
      Map<String, String> r = client.call("broadcast " + messages + " " + payload);
      long allocated = BenchServer.allocatedBytes() - allocatedBefore;
      long delivered = Long.parseLong(r.get("delivered"));
      report.line(String.format("| %d | %d B | %d | %d | %s | %.2f | **%,d** | %.0f B | ≥ 500,000 (at 10k) |",
          size, payload, messages, delivered, r.get("complete"), Long.parseLong(r.get("elapsedNs")) / 1e9,
          Long.parseLong(r.get("perSecond")), allocated / (double) Math.max(1, delivered)));
    }
  }
}
