package dev.dormouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The reconnect storm of issue 15: as after a gateway restart, a fresh server gets {@code
 * --storm-sockets} upgrades as fast as the client can make them ({@code --storm-in-flight}
 * handshakes at once) into Dormouse's echo room. Every socket must be accepted; a failure or a
 * handshake unfinished after {@value #TIMEOUT_SECONDS} s counts as refused. The bare Netty server
 * of {@link CeilingServer} is stormed the same way first, to show what the client itself reaches.
 */
final class StormScenario {

  static final long ACCEPTED_PER_SECOND_TARGET = 5_000;
  private static final int TIMEOUT_SECONDS = 60;

  private final BenchOptions options;
  private final Report report;

  StormScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    report.line("### storm: " + options.stormSockets() + " sockets opened at once");
    report.line("");
    report.line(
        "Client: "
            + options.stormInFlight()
            + " handshakes in flight at most (`--storm-in-flight`); "
            + options.clientLoops()
            + " selector thread(s); open files (ulimit -n) "
            + MachineInfo.openFileLimit()
            + "; ephemeral ports "
            + sysctl("net/ipv4/ip_local_port_range")
            + "; somaxconn "
            + sysctl("net/core/somaxconn")
            + ".");
    report.line("");
    report.line(
        "| server | sockets | opened | failed | timed out | seconds | accepted/s | handshake p50 / p99 / max | target |");
    report.line("|---|---|---|---|---|---|---|---|---|");
    try (CeilingProcess server = CeilingProcess.start(options.ceilingThreads());
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      row("bare Netty (the client's own reach)", storm(client, server.ws("/")), "");
    }
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      Map<String, String> r = storm(client, server.ws("/rooms/echo"));
      boolean met =
          Long.parseLong(r.get("perSecond")) >= ACCEPTED_PER_SECOND_TARGET
              && r.get("opened").equals(String.valueOf(options.stormSockets()));
      row(
          "Dormouse, `echo` room (fresh server)",
          r,
          String.format(
              "≥ %,d/s, none refused: %s",
              ACCEPTED_PER_SECOND_TARGET, met ? "met" : "**not met**"));
    }
    report.line("");
  }

  private Map<String, String> storm(ClientProcess client, String uri) throws IOException {
    return client.call(
        "storm "
            + uri
            + " "
            + options.stormSockets()
            + " "
            + options.stormInFlight()
            + " "
            + TIMEOUT_SECONDS);
  }

  private void row(String server, Map<String, String> r, String target) {
    String failed = r.get("failed");
    if (r.containsKey("firstFailure")) {
      failed += " (first: " + r.get("firstFailure").replace('_', ' ') + ")";
    }
    report.line(
        String.format(
            "| %s | %,d | %s | %s | %s | %.2f | **%,d** | %s / %s / %s ms | %s |",
            server,
            options.stormSockets(),
            r.get("opened"),
            failed,
            r.get("timedOut")
                + (r.get("notStarted").equals("0")
                    ? ""
                    : " (+" + r.get("notStarted") + " not started)"),
            Long.parseLong(r.get("elapsedNs")) / 1e9,
            Long.parseLong(r.get("perSecond")),
            Percentiles.millis(Long.parseLong(r.get("p50"))),
            Percentiles.millis(Long.parseLong(r.get("p99"))),
            Percentiles.millis(Long.parseLong(r.get("max"))),
            target));
  }

  private static String sysctl(String name) {
    try {
      // Not readString: /proc files claim a size of 0.
      return String.join(" ", Files.readAllLines(Path.of("/proc/sys", name))).replace('\t', '–');
    } catch (IOException e) {
      return "unknown";
    }
  }
}
