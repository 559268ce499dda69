package dev.dormouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The limit of issue 15: the broadcast of {@link BroadcastScenario} (same payload, same sockets,
 * same windowed client command) against the bare {@link CeilingServer} and against Dormouse's
 * {@code ctx.broadcast} room ({@link BroadcastRoom}), each in a fresh server JVM of its own, with
 * Dormouse as a share of the ceiling.
 */
final class CeilingScenario {

  static final double CEILING_SHARE_TARGET = 0.70;
  static final long BROADCAST_TARGET_AT_10K = 700_000;

  /** CPU time of a server's process, however it is read. */
  private interface CpuClock {
    long nanos() throws Exception;
  }

  /**
   * Write system calls a process has made so far ({@code syscw} of /proc/PID/io: write, writev,
   * sendmsg…), or -1 where the kernel does not say. Tells whether a server coalesces frames.
   */
  static long writeCalls(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/io")).stream()
          .filter(line -> line.startsWith("syscw:"))
          .mapToLong(line -> Long.parseLong(line.substring(6).trim()))
          .findFirst()
          .orElse(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** One broadcast run: wall rate, server and client CPU, and whether every socket got all. */
  private record Run(
      long delivered,
      double seconds,
      long serverCpuNs,
      long clientCpuNs,
      long serverWrites,
      String completion) {

    double perSecond() {
      return delivered / seconds;
    }

    double perServerCpuSecond() {
      return delivered / (serverCpuNs / 1e9);
    }
  }

  private final BenchOptions options;
  private final Report report;

  CeilingScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    report.line(
        "### ceiling: a bare Netty broadcast server beside Dormouse's `ctx.broadcast` room");
    report.line("");
    report.line(
        "| sockets | server | messages | deliveries | complete | deliveries/s | cores busy: server / client | deliveries per server CPU-second | server write calls / delivery | Dormouse / ceiling: per s, per CPU-s | target |");
    report.line("|---|---|---|---|---|---|---|---|---|---|---|");
    for (int size : options.ceilingSizes()) {
      try {
        runSize(size);
      } catch (NotAllOpened e) {
        report.line("| " + size + " | " + e.getMessage() + " | | | | | | | | | |");
      }
    }
    report.line("");
  }

  /** A run that could not open its sockets (refused, or out of loopback ports): no figure. */
  private static final class NotAllOpened extends Exception {
    NotAllOpened(String why) {
      super(why);
    }
  }

  private void runSize(int size) throws Exception {
    int messages = (int) Math.max(10, options.broadcastDeliveries() / size);
    Run ceiling;
    try (CeilingProcess server = CeilingProcess.start(options.ceilingThreads());
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      ceiling = measure(client, server.ws("/"), size, messages, server::cpuNanos, server.pid());
    }
    row(
        size,
        "ceiling: bare Netty, " + options.ceilingThreads() + " loops",
        messages,
        ceiling,
        "",
        "");
    Run dormouse;
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      dormouse =
          measure(
              client,
              server.ws("/rooms/fanout/room" + size),
              size,
              messages,
              BenchServer::processCpuNanos,
              ProcessHandle.current().pid());
    }
    double wallShare = dormouse.perSecond() / ceiling.perSecond();
    double cpuShare = dormouse.perServerCpuSecond() / ceiling.perServerCpuSecond();
    String target =
        String.format(
            "≥ %.0f%% of the ceiling: %s",
            CEILING_SHARE_TARGET * 100, met(wallShare >= CEILING_SHARE_TARGET));
    if (size == 10_000) {
      target +=
          String.format(
              "; ≥ %,d/s: %s",
              BROADCAST_TARGET_AT_10K, met(dormouse.perSecond() >= BROADCAST_TARGET_AT_10K));
    }
    row(
        size,
        "Dormouse, `ctx.broadcast` room",
        messages,
        dormouse,
        String.format("%.0f%%, %.0f%%", wallShare * 100, cpuShare * 100),
        target);
  }

  private static String met(boolean met) {
    return met ? "met" : "**not met**";
  }

  /** Opens {@code size} sockets, warms the broadcast path up untimed, then times the broadcast. */
  private Run measure(
      ClientProcess client, String uri, int size, int messages, CpuClock cpu, long serverPid)
      throws Exception {
    Map<String, String> opened = client.call("open " + uri + " " + size);
    if (!opened.get("failed").equals("0")) {
      throw new NotAllOpened(
          "only "
              + opened.get("open")
              + " of "
              + size
              + " opened, "
              + opened.get("failed")
              + " failed, the first: "
              + opened.get("firstFailure").replace('_', ' '));
    }
    String command = "broadcast " + messages + " " + options.payloadBytes();
    client.call("broadcast " + Math.max(5, messages / 10) + " " + options.payloadBytes());
    long writesBefore = writeCalls(serverPid);
    long cpuBefore = cpu.nanos();
    Map<String, String> r = client.call(command);
    long serverCpu = cpu.nanos() - cpuBefore;
    long writes = writeCalls(serverPid) - writesBefore;
    String completion =
        r.get("complete").equals("true")
            ? "yes"
            : "**no**: " + r.get("socketsComplete") + "/" + size + " got all";
    return new Run(
        Long.parseLong(r.get("delivered")),
        Long.parseLong(r.get("elapsedNs")) / 1e9,
        serverCpu,
        Long.parseLong(r.get("cpuNs")),
        writesBefore < 0 ? -1 : writes,
        completion);
  }

  private void row(int size, String server, int messages, Run run, String share, String target) {
    report.line(
        String.format(
            "| %,d | %s | %d | %d | %s | **%,.0f** | %.2f / %.2f | %,.0f | %s | %s | %s |",
            size,
            server,
            messages,
            run.delivered(),
            run.completion(),
            run.perSecond(),
            run.serverCpuNs() / 1e9 / run.seconds(),
            run.clientCpuNs() / 1e9 / run.seconds(),
            run.perServerCpuSecond(),
            run.serverWrites() < 0
                ? "?"
                : String.format("%.2f", run.serverWrites() / (double) run.delivered()),
            share,
            target));
  }
}
