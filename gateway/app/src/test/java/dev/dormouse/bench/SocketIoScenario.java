package dev.dormouse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Dormouse beside Socket.IO 4 (issue 15), the same load client on both (Socket.IO framing for the
 * one, {@link SocketIoFraming}), the same sizes and payload: the round trip of a room broadcast
 * including the sender, deliveries per server CPU-second, resident memory per idle connection, and
 * joins into a chat room that announces each join to every member. Dormouse's rooms are the
 * benchmark's {@code fanout} ({@link BroadcastRoom}) and the builtin {@code chat}; Socket.IO's are
 * the two modes of {@code bench/socketio/server.js}. Ends with the targets and whether
 * each is met.
 */
final class SocketIoScenario {

  private static final String DORMOUSE = "Dormouse";

  /** The round trip is the sender's own copy coming back, as a chat user sees their message. */
  private static final String OWN = " own";

  private final BenchOptions options;
  private final SocketIoOptions sio;
  private final Report report;
  private final EchoScenario echo;
  private final List<String> verdicts = new ArrayList<>();
  private String socketIo;

  SocketIoScenario(BenchOptions options, Report report) {
    this.options = options;
    this.sio = options.socketIo();
    this.report = report;
    this.echo = new EchoScenario(options, report);
  }

  void run() throws Exception {
    report.line("### Socket.IO side by side (issue 15)");
    report.line("");
    if (!sio.installed()) {
      report.line(
          "Socket.IO rows: not run: no socket.io under "
              + sio.prefix()
              + " (`npm install --prefix "
              + sio.prefix()
              + " socket.io@4`, or --socketio=DIR / $SOCKETIO_BENCH).");
      report.line("");
      return;
    }
    socketIo = SocketIoServer.version(sio);
    report.line(
        "Dormouse: room `fanout` (`BroadcastRoom`: every text to every socket of the instance, the"
            + " sender included) and the builtin `chat`. "
            + socketIo
            + ": `bench/socketio/server.js`, one node, in-memory adapter, websocket transport only.");
    report.line("");
    roundTrips();
    fanout();
    idleMemory();
    joins();
    section("#### against the targets", "| figure | Dormouse | Socket.IO | target | met |");
    verdicts.forEach(report::line);
    report.line("");
  }

  /** (a) Every message of one of N sockets goes to all N; timed to the sender's own copy. */
  private void roundTrips() throws Exception {
    report.line("#### round trip of a room broadcast, the sender included");
    report.line("");
    echo.tableHeader();
    List<Map<String, String>> dormouse = new ArrayList<>();
    List<Map<String, String>> other = new ArrayList<>();
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      for (int sockets : sio.roundTripSockets()) {
        client.call("open " + server.ws("/rooms/fanout/rt" + sockets) + " " + sockets);
        dormouse.add(echo.measure(client, "Dormouse, fanout", sockets, sockets, sio.rate(), OWN));
        closeAll(server, client);
      }
    }
    try (SocketIoServer server = SocketIoServer.start(sio, "broadcast");
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      for (int sockets : sio.roundTripSockets()) {
        client.call("open " + server.ws() + " " + sockets + " socketio");
        other.add(echo.measure(client, socketIo + ", room", sockets, sockets, sio.rate(), OWN));
        client.call("closeall");
      }
    }
    report.line("");
    for (int i = 0; i < dormouse.size(); i++) {
      int sockets = sio.roundTripSockets().get(i);
      for (String percentile : List.of("p50", "p99")) {
        long ours = Long.parseLong(dormouse.get(i).get(percentile));
        long theirs = Long.parseLong(other.get(i).get(percentile));
        verdict(
            "round trip " + percentile + ", " + sockets + " sockets, " + sio.rate() + " msg/s",
            Percentiles.millis(ours) + " ms",
            Percentiles.millis(theirs) + " ms",
            "≤ Socket.IO's",
            ours <= theirs);
      }
    }
  }

  /** (b) Socket 0 broadcasts into the room, windowed; server CPU is read around the measured run. */
  private void fanout() throws Exception {
    section(
        "#### deliveries per server CPU-second",
        "| server | sockets | payload | messages | deliveries | complete | seconds | deliveries/s | server CPU-seconds | deliveries per server CPU-second |");
    int sockets = sio.fanoutSockets();
    double ours;
    double theirs;
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      long[] redis = ServerProcesses.redisChildren();
      ours =
          fanoutRow(
              DORMOUSE + " (JVM + " + redis.length + " redis-server)",
              client,
              "open " + server.ws("/rooms/fanout/cpu") + " " + sockets,
              () ->
                  BenchServer.processCpuNanos()
                      + ServerProcesses.sum(redis, ServerProcesses::cpuNanos));
      closeAll(server, client);
    }
    try (SocketIoServer server = SocketIoServer.start(sio, "broadcast");
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      theirs =
          fanoutRow(
              socketIo + " (node)",
              client,
              "open " + server.ws() + " " + sockets + " socketio",
              () -> ServerProcesses.cpuNanos(server.pid()));
    }
    report.line("");
    verdict(
        "deliveries per server CPU-second, " + sockets + " sockets",
        String.format("%,.0f", ours),
        String.format("%,.0f (Dormouse %.2f×)", theirs, ours / theirs),
        "≥ 3× Socket.IO's",
        ours >= 3 * theirs);
  }

  private double fanoutRow(String label, ClientProcess client, String open, LongSupplier serverCpu)
      throws Exception {
    int sockets = sio.fanoutSockets();
    int payload = options.payloadBytes();
    int messages = (int) Math.max(10, sio.fanoutDeliveries() / sockets);
    Map<String, String> opened = client.call(open);
    if (!opened.get("failed").equals("0")) {
      report.line(
          "| "
              + label
              + " | "
              + openSockets(opened)
              + " of "
              + sockets
              + " opened, first failure "
              + opened.get("firstFailure")
              + " | | | | | | | | |");
      return Double.NaN;
    }
    client.call("broadcast " + Math.max(5, messages / 10) + " " + payload); // warm-up
    long cpuBefore = serverCpu.getAsLong();
    Map<String, String> r = client.call("broadcast " + messages + " " + payload);
    double cpuSeconds = (serverCpu.getAsLong() - cpuBefore) / 1e9;
    long delivered = Long.parseLong(r.get("delivered"));
    double perCpuSecond = delivered / cpuSeconds;
    report.line(
        String.format(
            "| %s | %d | %d B | %d | %d | %s | %.2f | %,d | %.2f | **%,.0f** |",
            label,
            sockets,
            payload,
            messages,
            delivered,
            r.get("complete").equals("true") ? "yes" : "**no**",
            Long.parseLong(r.get("elapsedNs")) / 1e9,
            Long.parseLong(r.get("perSecond")),
            cpuSeconds,
            perCpuSecond));
    return perCpuSecond;
  }

  /**
   * (c) VmRSS after a full collection, before and after opening the idle sockets. The server JVM's
   * heap is fixed and pages stay resident once touched, so heap that grows into pages the earlier
   * figures touched does not show in its RSS: for Dormouse the growth of used heap after GC is
   * added to the RSS growth, an upper bound (a newly touched heap page counts twice).
   */
  private void idleMemory() throws Exception {
    section(
        "#### resident memory per idle connection",
        "| server | idle sockets | opened in | resident before → after (after a full GC) | used heap after GC, before → after | per idle connection |");
    int sockets = sio.idleSockets();
    double ours;
    double theirs;
    try (BenchServer server = BenchServer.start();
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      long[] redis = ServerProcesses.redisChildren();
      long self = ProcessHandle.current().pid();
      LongSupplier rss =
          () ->
              ServerProcesses.rssBytes(self)
                  + ServerProcesses.sum(redis, ServerProcesses::rssBytes);
      long heapBefore = BenchServer.usedHeapAfterGc();
      long before = rss.getAsLong();
      Map<String, String> opened =
          client.call("open " + server.ws("/rooms/fanout/idle") + " " + sockets);
      long heapAfter = BenchServer.usedHeapAfterGc();
      long after = rss.getAsLong();
      ours =
          memoryRow(
              DORMOUSE + " (JVM + " + redis.length + " redis-server), fanout",
              opened,
              new long[] {before, after},
              mib(heapBefore) + " → " + mib(heapAfter) + " (+ " + mib(heapAfter - heapBefore) + ")",
              heapAfter - heapBefore);
      closeAll(server, client);
    }
    try (SocketIoServer server = SocketIoServer.start(sio, "broadcast");
        ClientProcess client = ClientProcess.start(options.clientLoops())) {
      server.collectGarbage();
      long before = ServerProcesses.rssBytes(server.pid());
      Map<String, String> opened = client.call("open " + server.ws() + " " + sockets + " socketio");
      server.collectGarbage();
      long after = ServerProcesses.rssBytes(server.pid());
      theirs =
          memoryRow(
              socketIo + " (node)", opened, new long[] {before, after}, "(in the resident)", 0);
    }
    report.line("");
    verdict(
        "resident memory per idle connection, " + sockets + " sockets",
        String.format("%.1f KiB (upper bound)", ours / 1024),
        String.format("%.1f KiB", theirs / 1024),
        "≤ Socket.IO's",
        ours <= theirs);
  }

  private static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }

  /** Prints the row; returns the bytes per open socket: resident growth plus {@code heapAdded}. */
  private double memoryRow(
      String label, Map<String, String> opened, long[] rss, String heap, long heapAdded) {
    int open = openSockets(opened);
    double perConnection = (rss[1] - rss[0] + heapAdded) / (double) Math.max(1, open);
    report.line(
        String.format(
            "| %s | %d (failed %s%s) | %s ms | %s → %s | %s | **%.1f KiB** |",
            label,
            open,
            opened.get("failed"),
            opened.containsKey("firstFailure") ? ", first: " + opened.get("firstFailure") : "",
            opened.get("ms"),
            mib(rss[0]),
            mib(rss[1]),
            heap,
            perConnection / 1024));
    return perConnection;
  }

  /** (d) N joins into a chat room that announces each; half as many first, to see the growth. */
  private void joins() throws Exception {
    section(
        "#### joins into a chat room",
        "| server, room | joins | all open | last frame received | frames received | frames / join |");
    int joins = sio.joins();
    long[] ours = new long[2];
    long[] theirs = new long[2];
    long[] oursMs = new long[2];
    long[] theirsMs = new long[2];
    for (int step = 0; step < 2; step++) {
      int n = step == 0 ? joins / 2 : joins;
      try (BenchServer server = BenchServer.start();
          ClientProcess client = ClientProcess.start(options.clientLoops())) {
        long[] row =
            joinRow(
                DORMOUSE + ", chat", client, "open " + server.ws("/rooms/chat/j" + n) + " " + n);
        ours[step] = row[0];
        oursMs[step] = row[1];
        closeAll(server, client);
      }
      try (SocketIoServer server = SocketIoServer.start(sio, "chat");
          ClientProcess client = ClientProcess.start(options.clientLoops())) {
        long[] row =
            joinRow(
                socketIo + ", chat mode", client, "open " + server.ws() + " " + n + " socketio");
        theirs[step] = row[0];
        theirsMs[step] = row[1];
      }
    }
    report.line("");
    report.line(
        "Frames are every WebSocket data frame the client received; Socket.IO's include its two"
            + " handshake packets per socket (`0{…}` open, `40{…}` connect). \"last frame received\""
            + " is from the first connect to the last frame before 1 s of quiet.");
    report.line("");
    verdict(
        "frames received for " + joins + " joins (× when joins double)",
        String.format("%,d (× %.2f)", ours[1], ours[1] / (double) ours[0]),
        String.format("%,d (× %.2f)", theirs[1], theirs[1] / (double) theirs[0]),
        "not O(N²): ≤ 3× when N doubles (N² gives 4×)",
        ours[1] <= 3 * ours[0]);
    verdict(
        "time for " + joins + " joins, until the last notice",
        oursMs[1] + " ms",
        theirsMs[1] + " ms",
        "— (not a named target)",
        null);
  }

  /** Returns {frames, milliseconds until the last one}. */
  private long[] joinRow(String label, ClientProcess client, String open) throws Exception {
    Map<String, String> opened = client.call(open);
    Map<String, String> frames = client.call("frames 1000");
    long openMs = Long.parseLong(opened.get("ms"));
    long lastMs = openMs + Long.parseLong(frames.get("lastMs"));
    long count = Long.parseLong(frames.get("frames"));
    int n = openSockets(opened);
    report.line(
        String.format(
            "| %s | %d (failed %s) | %d ms | %d ms%s | %,d | %.1f |",
            label,
            n,
            opened.get("failed"),
            openMs,
            lastMs,
            frames.get("quiet").equals("true") ? "" : " (**still arriving after 60 s**)",
            count,
            count / (double) Math.max(1, n)));
    return new long[] {count, lastMs};
  }

  /** Closes the client's sockets and lets the server handle the closes before it is closed. */
  private static void closeAll(BenchServer server, ClientProcess client) throws Exception {
    client.call("closeall");
    server.awaitNoConnections(Duration.ofSeconds(30));
  }

  /** A heading and the header of its table. */
  private void section(String title, String columns) {
    report.line(title);
    report.line("");
    report.line(columns);
    report.line("|---".repeat((int) columns.chars().filter(c -> c == '|').count() - 1) + "|");
  }

  /** The client counts failed sockets among its connections: those open are the rest. */
  private static int openSockets(Map<String, String> opened) {
    return Integer.parseInt(opened.get("open")) - Integer.parseInt(opened.get("failed"));
  }

  private void verdict(String figure, String ours, String theirs, String target, Boolean met) {
    verdicts.add(
        "| "
            + figure
            + " | "
            + ours
            + " | "
            + theirs
            + " | "
            + target
            + " | "
            + (met == null ? "—" : met ? "yes" : "**no**")
            + " |");
  }
}
