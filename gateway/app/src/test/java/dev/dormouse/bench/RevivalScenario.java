package dev.dormouse.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * Latency a revival adds to the first message: N sockets in one instance of an echo room with a
 * 500 ms idle timeout; once the runtime has evicted it (seen in its metrics), socket 0 sends one
 * message (cold: the instance is rebuilt from Redis with all N connections) and then a few more
 * (warm). Added latency = cold − median warm, per cycle; the median over cycles is reported.
 */
final class RevivalScenario {

  private static final int WARM_ROUND_TRIPS = 10;
  private final BenchOptions options;
  private final Report report;

  RevivalScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    report.line("### revival");
    report.line("");
    header();
    for (int size : options.revivalSizes()) {
      row(String.valueOf(size), "/rooms/revive/room" + size, size);
    }
    report.line("");
  }

  void header() {
    report.line(
        "| sockets of the instance | cycles | first message after eviction (median) | warm round trip (median) | added by revival: median | max | revivals counted | target |");
    report.line("|---|---|---|---|---|---|---|---|");
  }

  /** One row: {@code size} sockets into {@code path}, whose room must hibernate within a second. */
  void row(String label, String path, int size) throws Exception {
    int cycles = options.revivalCycles();
    long[] cold = new long[cycles];
    long[] warm = new long[cycles];
    long[] added = new long[cycles];
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      client.call("open " + server.ws(path) + " " + size);
      // One revive-and-warm round untimed, so that class loading and the JIT are behind us.
      server.awaitHibernation(server.evictions(), Duration.ofSeconds(60));
      client.call("rtt " + WARM_ROUND_TRIPS);
      double revivalsBefore = server.revivals();
      for (int i = 0; i < cycles; i++) {
        server.awaitHibernation(server.evictions(), Duration.ofSeconds(60));
        cold[i] = nanos(client.call("rtt 1"))[0];
        long[] warmTrips = nanos(client.call("rtt " + WARM_ROUND_TRIPS));
        Arrays.sort(warmTrips);
        warm[i] = warmTrips[warmTrips.length / 2];
        added[i] = cold[i] - warm[i];
      }
      long revivals = Math.round(server.revivals() - revivalsBefore);
      report.line(
          "| "
              + label
              + " | "
              + cycles
              + " | "
              + ms(median(cold))
              + " | "
              + ms(median(warm))
              + " | **"
              + ms(median(added))
              + "** | "
              + ms(Arrays.stream(added).max().orElse(0))
              + " | "
              + revivals
              + " | ≤ 20 ms added (1k sockets) |");
    }
  }

  private static long[] nanos(Map<String, String> answer) {
    return Arrays.stream(answer.get("nanos").split(",")).mapToLong(Long::parseLong).toArray();
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String ms(long nanos) {
    return Percentiles.millis(nanos) + " ms";
  }
}
