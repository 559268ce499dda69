package dev.dormouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 15's memory targets. (1) Resident memory per open socket in the seed room: Dormouse's
 * {@code example} room against the seed on workerd, the RSS of each server process before and
 * after opening sockets. (2) Many hibernated sockets held by one gateway within a 1 GiB heap: heap
 * after GC per socket, RSS, and the file-descriptor and port settings it took. Dormouse runs as a
 * {@link MemoryServer} of its own here, so that its RSS is the product's alone.
 */
final class MemoryScenario {

  /** The server JVM as a user would run it: the image's flags, with a 1 GiB heap, G1 (default). */
  static final List<String> SERVER_FLAGS =
      List.of(
          "-Xmx1g", "-XX:+ExitOnOutOfMemoryError", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

  /** Sockets opened and closed before the baseline: classes loaded and code compiled by then. */
  private static final int WARMUP_SOCKETS = 200;

  /** File descriptors a process keeps beside its sockets (jars, selectors, Redis, pipes). */
  private static final int SPARE_FDS = 300;

  private static final int HISTOGRAM_LINES = 18;
  private static final long MIB = 1 << 20;

  private final BenchOptions options;
  private final Report report;

  MemoryScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    report.line("### memory");
    report.line("");
    report.line(
        "Dormouse's server JVM: `" + String.join(" ", SERVER_FLAGS) + "` (G1, the JVM's default).");
    report.line("");
    residentPerSocket();
    hibernated();
  }

  private void residentPerSocket() throws Exception {
    report.line("#### resident memory per open socket, seed room");
    report.line("");
    report.line(
        "| server | sockets | RSS before → after | per socket | after full GCs: RSS before → after"
            + " | per socket | opened in |");
    report.line("|---|---|---|---|---|---|---|");
    List<Row> dormouse;
    try (ClientProcess server = ClientProcess.start(SERVER_FLAGS, MemoryServer.class)) {
      Map<String, String> ws = server.call("ws /rooms/example");
      long pid = Long.parseLong(ws.get("pid"));
      dormouse =
          openAndMeasure(
              "Dormouse `example`",
              ws.get("ws"),
              pid,
              () -> {
                server.call("heap");
                return ProcessMemory.rss(pid);
              });
    }
    List<Row> workerd = List.of();
    if (options.workerd().isPresent()) {
      Path binary = options.workerd().get();
      try (SeedOnWorkerd seed = SeedOnWorkerd.start(binary)) {
        workerd =
            openAndMeasure(
                SeedOnWorkerd.version(binary) + ", seed", seed.ws("/websocket"), seed.pid(), null);
      }
    } else {
      report.line("| workerd, seed | not run: no workerd binary (--workerd=PATH) | | | | | |");
    }
    report.line("");
    List<Integer> sizes = options.memorySockets();
    for (int i = 0; i < Math.min(workerd.size(), dormouse.size()); i++) {
      double ratio = dormouse.get(i).perSocket() / workerd.get(i).perSocket();
      int failed = workerd.get(i).failed() + dormouse.get(i).failed();
      report.line(
          String.format(
              "At %d sockets Dormouse holds %.2f of workerd's resident memory per socket, as the"
                  + " process stands (target ≤ 0.10: %s)%s.",
              sizes.get(i),
              ratio,
              ratio <= 0.10 ? "met" : "not met",
              failed > 0
                  ? "; " + failed + " sockets failed, each figure counts the ones held"
                  : ""));
      report.line("");
    }
  }

  /** One row's RSS growth per socket held (bytes), and how many of its sockets failed. */
  private record Row(double perSocket, int failed) {}

  /** The server's RSS after full collections (Dormouse's own probe; workerd has none). */
  private interface RssAfterGc {
    long rss() throws Exception;
  }

  /**
   * Opens the configured socket counts one after another into {@code uri}, one row each, and
   * returns each row's RSS growth per socket, as the process stands; a row where sockets failed
   * counts the ones held, and ends the series.
   */
  private List<Row> openAndMeasure(String label, String uri, long pid, RssAfterGc afterGc)
      throws Exception {
    List<Row> rows = new ArrayList<>();
    try (ClientProcess client = ClientProcess.start(options.clientLoops())) {
      client.call("open " + uri + " " + WARMUP_SOCKETS);
      client.call("closeall");
      long baseAfterGc = afterGc == null ? 0 : afterGc.rss();
      long base = ProcessMemory.rss(pid);
      int open = 0;
      for (int size : options.memorySockets()) {
        Map<String, String> opened;
        try {
          opened = client.call("open " + uri + " " + (size - open));
        } catch (IOException e) {
          report.line(
              String.format("| %s | %d | failed: %s | | | | |", label, size, e.getMessage()));
          break;
        }
        open = size;
        int failed = Integer.parseInt(opened.get("failed"));
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          report.line(
              String.format(
                  "| %s | %d | the server process exited while they opened (%d failed: %s) | | | | %s ms |",
                  label, size, failed, opened.get("firstFailure"), opened.get("ms")));
          break;
        }
        int held = size - failed;
        long rss = ProcessMemory.rss(pid);
        double per = (rss - base) / (double) held;
        String gc = "— | —";
        if (afterGc != null) {
          long rssAfterGc = afterGc.rss();
          gc =
              String.format(
                  "%.1f → %.1f MiB | %.1f KiB",
                  baseAfterGc / (double) MIB,
                  rssAfterGc / (double) MIB,
                  (rssAfterGc - baseAfterGc) / (double) held / 1024);
        }
        report.line(
            String.format(
                "| %s | %d%s | %.1f → %.1f MiB | **%.1f KiB** | %s | %s ms |",
                label,
                size,
                failed > 0 ? " (" + failed + " failed: " + opened.get("firstFailure") + ")" : "",
                base / (double) MIB,
                rss / (double) MIB,
                per / 1024,
                gc,
                opened.get("ms")));
        rows.add(new Row(per, failed));
        if (failed > 0) {
          break;
        }
      }
    }
    return rows;
  }

  /**
   * As many hibernated sockets as asked, or as the server's file-descriptor limit lets it hold,
   * opened by as many client processes as their own limits and the ports of one source address
   * need, each from its own loopback address into its own instance (an instance takes at most
   * 32,768 by default).
   */
  private void hibernated() throws Exception {
    int asked = options.memoryHibernated();
    report.line("#### " + asked + " hibernated sockets in one gateway, 1 GiB heap");
    report.line("");
    try (ClientProcess server = ClientProcess.start(SERVER_FLAGS, MemoryServer.class)) {
      long pid = Long.parseLong(server.call("ws /").get("pid"));
      long serverLimit = ProcessMemory.openFilesLimit(pid);
      int total = (int) Math.min(asked, serverLimit - ProcessMemory.openFiles(pid) - SPARE_FDS);
      List<ClientProcess> clients = new ArrayList<>();
      try {
        ClientProcess first = ClientProcess.start(options.clientLoops());
        clients.add(first);
        long clientLimit = ProcessMemory.openFilesLimit(first.pid());
        // One source address has ~28k ephemeral ports (32768–60999 by default): 25k by default.
        int perClient = (int) Math.min(options.memoryPerClient(), clientLimit - SPARE_FDS);
        while ((long) clients.size() * perClient < total) {
          clients.add(ClientProcess.start(options.clientLoops()));
        }
        report.line(
            String.format(
                "Asked %d; the server's open-files limit is %d (`ulimit -n`; hard limit the same"
                    + " here), so it holds at most %d; %d client process(es), each with a limit of"
                    + " %d, from 127.0.0.2…; ephemeral ports %s per source address.",
                asked, serverLimit, total, clients.size(), clientLimit, portRange()));
        report.line("");
        long empty = heap(server);
        int firstStep = Math.max(1, total / 10);
        server.call("mark");
        long started = System.nanoTime();
        openShare(clients.get(0), server, 0, firstStep);
        server.call("hibernated 120");
        long atFirst = heap(server);
        server.call("mark");
        int opened = firstStep;
        for (int k = 0; k < clients.size() && opened < total; k++) {
          int share = Math.min(perClient - (k == 0 ? firstStep : 0), total - opened);
          openShare(clients.get(k), server, k, share);
          opened += share;
        }
        double openSeconds = (System.nanoTime() - started) / 1e9;
        server.call("hibernated 120");
        long atTotal = heap(server);
        long rss = ProcessMemory.rss(pid);
        double slope = (atTotal - atFirst) / (double) (total - firstStep);
        report.line(
            "| sockets held (hibernated) | heap after GC: empty → "
                + firstStep
                + " → all | heap per socket (slope) | RSS | opened in | projected heap at "
                + asked
                + " | targets |");
        report.line("|---|---|---|---|---|---|---|");
        long projected = atFirst + (long) (slope * (asked - firstStep));
        report.line(
            String.format(
                "| %d | %.1f → %.1f → %.1f MiB | **%.2f KiB** (≤ 4 KiB: %s) | %.1f MiB | %.1f s |"
                    + " %.0f MiB | %d in ≤ 1 GiB: %s |",
                total,
                empty / (double) MIB,
                atFirst / (double) MIB,
                atTotal / (double) MIB,
                slope / 1024,
                slope <= 4096 ? "met" : "not met",
                rss / (double) MIB,
                openSeconds,
                projected / (double) MIB,
                asked,
                total >= asked
                    ? (atTotal < 1024 * MIB ? "met" : "not met")
                    : "not run: " + total + " sockets is all the fd limit allows"));
        report.line("");
        report.line("Heap histogram of the server holding " + total + " hibernated sockets:");
        report.line("");
        report.line("```");
        ProcessMemory.histogram(pid, HISTOGRAM_LINES).forEach(report::line);
        report.line("```");
        report.line("");
      } finally {
        for (ClientProcess client : clients) {
          client.close();
        }
      }
    }
  }

  /** Client {@code k} opens {@code count} more sockets from 127.0.0.(2+k) into instance m{k}. */
  private static void openShare(ClientProcess client, ClientProcess server, int k, int count)
      throws IOException {
    String uri = server.call("ws /rooms/idle/m" + k).get("ws");
    Map<String, String> opened = client.call("open " + uri + " " + count + " 127.0.0." + (2 + k));
    if (!opened.get("failed").equals("0")) {
      throw new IOException(
          opened.get("failed") + " of " + count + " sockets failed: " + opened.get("firstFailure"));
    }
  }

  private static long heap(ClientProcess server) throws IOException {
    return Long.parseLong(server.call("heap").get("heap"));
  }

  private static String portRange() {
    try {
      return String.join(
          "–",
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
              .get(0)
              .trim()
              .split("\\s+"));
    } catch (IOException e) {
      return "unknown";
    }
  }
}
