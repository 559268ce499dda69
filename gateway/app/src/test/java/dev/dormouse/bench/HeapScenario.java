package dev.dormouse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gateway heap per open hibernated connection. The server (gateway and runtime, one JVM) is this
 * process; the sockets' other ends are in the client process, so they are not counted. Heap is
 * measured after full GCs, with the room evicted, at two socket counts: the slope between them
 * leaves out fixed costs (classes' statics, pools, first-use caches) that the first sockets pay.
 */
final class HeapScenario {

  private final BenchOptions options;
  private final Report report;
  private final List<String> notes = new ArrayList<>();

  HeapScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    report.line("### heap");
    report.line("");
    header();
    row(String.valueOf(options.heapSockets()), "/rooms/idle/heap");
    report.line("");
    notes();
  }

  void header() {
    int total = options.heapSockets();
    report.line(
        "| sockets (hibernated, 1 instance) | heap after GC | per socket, slope "
            + first()
            + "→"
            + total
            + " | per socket, average incl. fixed costs | direct buffers Δ | active instances | target |");
    report.line("|---|---|---|---|---|---|---|");
  }

  private int first() {
    return Math.max(1, options.heapSockets() / 10);
  }

  /** One row: the sockets opened into {@code path}, whose room must hibernate within seconds. */
  void row(String label, String path) throws Exception {
    int total = options.heapSockets();
    int first = first();
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      String uri = server.ws(path);
      long base = BenchServer.usedHeapAfterGc();
      long directBase = BenchServer.directBufferBytes();

      double evictions = server.evictions();
      var opened = client.call("open " + uri + " " + first);
      server.awaitHibernation(evictions, Duration.ofSeconds(60));
      long atFirst = BenchServer.usedHeapAfterGc();

      evictions = server.evictions();
      var openedRest = client.call("open " + uri + " " + (total - first));
      server.awaitHibernation(evictions, Duration.ofSeconds(60));
      long atTotal = BenchServer.usedHeapAfterGc();
      long direct = BenchServer.directBufferBytes() - directBase;
      int failed =
          Integer.parseInt(opened.get("failed")) + Integer.parseInt(openedRest.get("failed"));

      double slope = (atTotal - atFirst) / (double) (total - first);
      double average = (atTotal - base) / (double) total;
      report.line(
          String.format(
              "| %s (failed %d) | %.1f MiB → %.1f MiB → %.1f MiB | **%.2f KiB** | %.2f KiB | %.1f MiB | %d | ≤ 8 KiB |",
              label,
              failed,
              base / 1048576.0,
              atFirst / 1048576.0,
              atTotal / 1048576.0,
              slope / 1024,
              average / 1024,
              direct / 1048576.0,
              server.activeInstances()));
      notes.add(
          label
              + ": opening "
              + first
              + " sockets took "
              + opened.get("ms")
              + " ms, the other "
              + (total - first)
              + " took "
              + openedRest.get("ms")
              + " ms.");
    }
  }

  /** What the table's rows leave out, for after the table. */
  void notes() {
    notes.forEach(
        line -> {
          report.line(line);
          report.line("");
        });
    notes.clear();
  }
}
