package dev.dormouse.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * Echo round trips at a fixed rate, timed by the client process from the moment each message was
 * due (so a stall counts against the server rather than slowing the sender). Against Dormouse's
 * echo room with many sockets (the SPEC target), and, one socket each, against Dormouse's
 * {@code example} room and the seed on workerd: the same code on both, the same client.
 */
final class EchoScenario {

  private final BenchOptions options;
  private final Report report;

  EchoScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void header() {
    report.line("### echo round trip");
    report.line("");
    tableHeader();
  }

  void tableHeader() {
    report.line(
        "| server, room | sockets | rate | replies / message | answered / sent | p50 | p90 | p99 | p99.9 | max |");
    report.line("|---|---|---|---|---|---|---|---|---|---|");
  }

  void runDormouse() throws Exception {
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      client.call("open " + server.ws("/rooms/echo") + " " + options.echoSockets());
      measure(client, "Dormouse, echo", options.echoSockets(), 1, options.echoRate());
    }
  }

  /** The seed's example: every message answers the sender twice with one socket open. */
  void runSeedComparison() throws Exception {
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      client.call("open " + server.ws("/rooms/example") + " 1");
      measure(client, "Dormouse, example (seed reproduced)", 1, 2, options.echoRate());
    }
    if (options.workerd().isEmpty()) {
      report.line(
          "| workerd, seed | — | — | — | not run: no workerd binary (--workerd=PATH) | | | | | |");
      return;
    }
    Path workerd = options.workerd().get();
    try (SeedOnWorkerd seed = SeedOnWorkerd.start(workerd);
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      client.call("open " + seed.ws("/websocket") + " 1");
      measure(
          client, "workerd " + SeedOnWorkerd.version(workerd) + ", seed", 1, 2, options.echoRate());
    }
  }

  /**
   * Round trips at {@code rate} over the client's open sockets; each message answered this many
   * times in all. Returns the client's answer (percentiles in nanoseconds).
   */
  Map<String, String> measure(
      ClientProcess client, String label, int sockets, int repliesPerMessage, int rate)
      throws Exception {
    return measure(client, label, sockets, repliesPerMessage, rate, "");
  }

  /** As above; {@code mode} " own" times each message to its copy on the socket that sent it. */
  Map<String, String> measure(
      ClientProcess client, String label, int sockets, int repliesPerMessage, int rate, String mode)
      throws Exception {
    Map<String, String> r =
        client.call(
            "echo "
                + rate
                + " "
                + options.echoSeconds()
                + " "
                + options.echoWarmupSeconds()
                + " "
                + repliesPerMessage
                + " "
                + options.payloadBytes()
                + mode);
    report.line(
        "| "
            + label
            + " | "
            + sockets
            + " | "
            + rate
            + "/s | "
            + repliesPerMessage
            + " | "
            + r.get("answered")
            + " / "
            + r.get("sent")
            + " | "
            + ms(r, "p50")
            + " | "
            + ms(r, "p90")
            + " | "
            + ms(r, "p99")
            + " | "
            + ms(r, "p999")
            + " | "
            + ms(r, "max")
            + " |");
    return r;
  }

  private static String ms(Map<String, String> r, String key) {
    return Percentiles.millis(Long.parseLong(r.get(key))) + " ms";
  }
}
