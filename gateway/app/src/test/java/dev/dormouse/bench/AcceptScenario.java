package dev.dormouse.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Accepting, as issue 15 measures it: {@code --accept-sockets} sockets opened {@code
 * --accept-batch} at a time (the next batch once the previous one is all open) into the seed:
 * Dormouse's {@code example} room and the seed on workerd ({@code /websocket}), each a fresh
 * process. Timed twice per server: cold (the first sockets the process ever sees) and, after
 * closing them all, once more warm.
 */
final class AcceptScenario {

  private final BenchOptions options;
  private final Report report;

  AcceptScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    report.line(
        "### accept: "
            + options.acceptSockets()
            + " sockets opened "
            + options.acceptBatch()
            + " at a time");
    report.line("");
    report.line(
        "| server | round | seconds | slowest batch | failed | target: Dormouse ≤ workerd |");
    report.line("|---|---|---|---|---|---|");
    double[] dormouse;
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      dormouse = rounds(client, server.ws("/rooms/example"), "Dormouse, `example` room", null);
    }
    if (options.workerd().isEmpty()) {
      report.line("| workerd, seed | not run: no workerd binary (--workerd=PATH) | | | | |");
      report.line("");
      return;
    }
    Path workerd = options.workerd().get();
    try (SeedOnWorkerd seed = SeedOnWorkerd.start(workerd);
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      rounds(
          client,
          seed.ws("/websocket"),
          "workerd " + SeedOnWorkerd.version(workerd) + ", seed",
          dormouse);
    }
    report.line("");
  }

  /**
   * The cold and the warm round on one server, in seconds; with Dormouse's rounds given, each row
   * says whether Dormouse was within this server's time.
   */
  private double[] rounds(ClientProcess client, String uri, String label, double[] dormouse)
      throws Exception {
    double[] seconds = new double[2];
    String[] names = {"cold", "warm"};
    for (int round = 0; round < 2; round++) {
      Map<String, String> r;
      try {
        r =
            client.call(
                "batches " + uri + " " + options.acceptSockets() + " " + options.acceptBatch());
      } catch (IOException e) {
        // A batch that never completes (the client gives each 60 s): a row, not a lost run.
        report.line(
            "| " + label + " | " + names[round] + " | **failed**: " + e.getMessage() + " | | | |");
        return new double[] {Double.NaN, Double.NaN};
      }
      client.call("closeall");
      seconds[round] = Long.parseLong(r.get("elapsedNs")) / 1e9;
      String target =
          dormouse == null
              ? ""
              : String.format(
                  "%.3f s vs %.3f s: %s",
                  dormouse[round],
                  seconds[round],
                  dormouse[round] <= seconds[round] ? "met" : "**not met**");
      report.line(
          String.format(
              "| %s | %s | %.3f | %s ms | %s | %s |",
              label,
              names[round],
              seconds[round],
              Percentiles.millis(Long.parseLong(r.get("slowestBatchNs"))),
              r.get("failed")
                  + (r.containsKey("firstFailure")
                      ? " (first: " + r.get("firstFailure").replace('_', ' ') + ")"
                      : ""),
              target));
    }
    return seconds;
  }
}
