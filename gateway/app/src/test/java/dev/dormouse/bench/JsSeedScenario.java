package dev.dormouse.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * The seed's own JavaScript class (room {@code seed}, {@code js:seed/worker.js#…} on GraalJS) beside
 * the Java {@code example} room that reproduces it, with the same client: round trips with 10
 * sockets, fan-out with 2,000, heap per hibernated socket, revival of an instance with 1,000
 * sockets. Both rooms do the same work per message: the direct reply, a loop over every socket and
 * a loop over every other one, so a message of one of N sockets is 2N deliveries.
 */
final class JsSeedScenario {

  private static final int ECHO_SOCKETS = 10;
  private static final int FANOUT_SOCKETS = 2_000;
  private static final int REVIVAL_SOCKETS = 1_000;

  /** In each reply the sent text follows {@code "[Durable Object] message: "}. */
  private static final int REPLY_PREFIX = "[Durable Object] message: ".length();

  /** A room of the comparison: its label, the room serving messages, the one hibernating at once. */
  private record Room(String label, String live, String idle) {}

  private static final List<Room> ROOMS =
      List.of(
          new Room("Java `example`", "example", "example-idle"),
          new Room("JavaScript `seed`", "seed", "seed-idle"));

  private final BenchOptions options;
  private final Report report;

  JsSeedScenario(BenchOptions options, Report report) {
    this.options = options;
    this.report = report;
  }

  void run() throws Exception {
    report.line("### the seed in JavaScript beside the Java example room");
    report.line("");
    report.line("#### round trip, " + ECHO_SOCKETS + " sockets");
    report.line("");
    EchoScenario echo = new EchoScenario(options, report);
    echo.tableHeader();
    for (Room room : ROOMS) {
      try (BenchServer server = BenchServer.start();
          ClientProcess client = ClientProcess.start(options.clientLoops())) {
        client.call("open " + server.ws("/rooms/" + room.live()) + " " + ECHO_SOCKETS);
        echo.measure(client, room.label(), ECHO_SOCKETS, 2 * ECHO_SOCKETS, options.jsEchoRate());
      }
    }
    if (options.workerd().isPresent()) {
      Path workerd = options.workerd().get();
      try (SeedOnWorkerd seed = SeedOnWorkerd.start(workerd);
          ClientProcess client = ClientProcess.start(options.clientLoops())) {
        client.call("open " + seed.ws("/websocket") + " " + ECHO_SOCKETS);
        echo.measure(
            client,
            "workerd " + SeedOnWorkerd.version(workerd) + ", seed",
            ECHO_SOCKETS,
            2 * ECHO_SOCKETS,
            options.jsEchoRate());
      }
    } else {
      report.line(
          "| workerd, seed | not run: no workerd binary (--workerd=PATH) | | | | | | | | |");
    }
    report.line("");

    report.line("#### fan-out, " + FANOUT_SOCKETS + " sockets");
    report.line("");
    BroadcastScenario fanout = new BroadcastScenario(options, report);
    fanout.header();
    for (Room room : ROOMS) {
      fanout.runOne(
          new BroadcastScenario.Fanout(
              room.label(), "/rooms/" + room.live(), 2, REPLY_PREFIX, "JS ≤ 1.5× Java"),
          FANOUT_SOCKETS,
          options.payloadBytes(),
          options.jsFanoutDeliveries());
    }
    report.line("");

    report.line("#### heap per hibernated socket");
    report.line("");
    HeapScenario heap = new HeapScenario(options, report);
    heap.header();
    for (Room room : ROOMS) {
      heap.row(options.heapSockets() + ", " + room.label(), "/rooms/" + room.idle());
    }
    report.line("");
    heap.notes();

    report.line("#### revival, " + REVIVAL_SOCKETS + " sockets");
    report.line("");
    RevivalScenario revival = new RevivalScenario(options, report);
    revival.header();
    for (Room room : ROOMS) {
      revival.row(REVIVAL_SOCKETS + ", " + room.label(), "/rooms/" + room.idle(), REVIVAL_SOCKETS);
    }
    report.line("");
  }
}
