package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRing;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.PacedLoop;
import dev.dormouse.testing.WsClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Static owners (DORMOUSE_OWNERS), every part a real process: an owner killed with SIGKILL, or frozen
 * with its sockets open as on a node cut off, stays listed, yet its rooms carry on at the other owner
 * as soon as its leases allow.
 */
class OwnerFailoverIT {

  static final int DOOMED_ROOMS = 3;
  static final int SPARED_ROOMS = 2;
  static final int AFTER = 5;

  /** What the issue promises from a client's view: served again within the lease TTL and 2 s. */
  static final Duration KILLED_BOUND = ClusterFixture.LEASE_TTL.plusSeconds(2);

  /** A frozen owner's link is closed by the link heartbeat (8 s of silence); then the same holds. */
  static final Duration FROZEN_BOUND = Duration.ofSeconds(8).plus(KILLED_BOUND);

  ClusterFixture cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.startWithProbeRoomInProcesses();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** A room's clients: one that waits for each answer before it speaks again, one that never waits. */
  record Room(String path, boolean doomed, WsClient quiet, WsClient talker) {}

  /** How an owner is lost. */
  interface Outage {
    void strike(ManagedProcess owner) throws Exception;
  }

  @Test
  void theSurvivorServesAKilledOwnersRoomsWithinTheLeaseTtlPlusTwoSeconds() throws Exception {
    Duration takeover = takeOver(ManagedProcess::kill);
    System.out.println(
        "rooms of the killed owner served again " + takeover.toMillis() + " ms after the kill");
    assertThat(takeover).isLessThanOrEqualTo(KILLED_BOUND);
  }

  @Test
  void theSurvivorServesTheRoomsOfAnOwnerThatStopsAnsweringWithItsSocketsOpen() throws Exception {
    Duration takeover = takeOver(owner -> signal(owner, "STOP"));
    System.out.println(
        "rooms of the frozen owner served again " + takeover.toMillis() + " ms after the freeze");
    assertThat(takeover).isLessThanOrEqualTo(FROZEN_BOUND);
  }

  static void signal(ManagedProcess process, String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    assertThat(kill.waitFor()).isZero();
  }

  /**
   * Clients in rooms on both owners; {@code outage} strikes the owner o1. Checks every client of every
   * room keeps its socket and is answered in order (a message o1 had taken and not handled may close
   * its sender with 1013), attachments intact; returns how long after the strike o1's rooms answered.
   */
  Duration takeOver(Outage outage) throws Exception {
    int port1 = FreePorts.any();
    int port2 = FreePorts.any();
    List<OwnerEndpoint> owners =
        List.of(
            new OwnerEndpoint("o1", new InetSocketAddress("127.0.0.1", port1)),
            new OwnerEndpoint("o2", new InetSocketAddress("127.0.0.1", port2)));
    ManagedProcess doomed = cluster.ownerProcess("o1", port1);
    cluster.ownerProcess("o2", port2);
    int port = FreePorts.any();
    ManagedProcess gateway =
        cluster.gatewayProcess("gw", port, "o1=127.0.0.1:" + port1 + ",o2=127.0.0.1:" + port2);
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);

    List<Room> rooms = new ArrayList<>();
    int doomedCount = 0;
    for (int i = 0; doomedCount < DOOMED_ROOMS || rooms.size() - doomedCount < SPARED_ROOMS; i++) {
      boolean onDoomed =
          OwnerRing.pick(new RoomKey("default", "probe", "k" + i), owners)
              .orElseThrow()
              .ownerId()
              .equals("o1");
      if (onDoomed ? doomedCount == DOOMED_ROOMS : rooms.size() - doomedCount == SPARED_ROOMS) {
        continue;
      }
      String path = "/rooms/probe/k" + i;
      WsClient quiet = WsClient.connect(ClusterFixture.ws(address, path + "?name=quiet&tags=calm"));
      WsClient talker = WsClient.connect(ClusterFixture.ws(address, path + "?name=talker"));
      quiet.send("before");
      assertThat(quiet.nextText()).isEqualTo("echo:before");
      rooms.add(new Room(path, onDoomed, quiet, talker));
      doomedCount += onDoomed ? 1 : 0;
    }
    List<PacedLoop> talking = new CopyOnWriteArrayList<>();
    rooms.forEach(room -> ClusterCrashIT.talker(room.talker(), talking));
    for (Room room : rooms) {
      assertThat(room.talker().nextText()).isEqualTo("echo:m0");
    }

    long killedAt = System.nanoTime();
    outage.strike(doomed);
    gateway.awaitLine(Pattern.compile("link to owner o1 .* lost"));
    // Sent once the gateway knows the owner is gone: none of these can be lost with it.
    for (Room room : rooms) {
      for (int m = 0; m < AFTER; m++) {
        room.quiet().send("after" + m);
      }
    }
    Duration takeover = Duration.ZERO;
    for (Room room : rooms) {
      for (int m = 0; m < AFTER; m++) {
        assertThat(room.quiet().nextText())
            .as("%s, in order", room.path())
            .isEqualTo("echo:after" + m);
        if (m == 0 && room.doomed()) {
          Duration served = Duration.ofNanos(System.nanoTime() - killedAt);
          takeover = served.compareTo(takeover) > 0 ? served : takeover;
        }
      }
    }

    for (PacedLoop thread : talking) {
      assertThat(thread.awaitEnd(Duration.ofMinutes(1))).isTrue();
    }
    for (Room room : rooms) {
      List<Integer> echoed = ClusterCrashIT.echoesUntilClosedOrComplete(room.talker());
      assertThat(echoed)
          .as("no message twice, none out of order")
          .isSorted()
          .doesNotHaveDuplicates();
      if (!echoed.equals(IntStream.range(1, ClusterCrashIT.MESSAGES).boxed().toList())) {
        assertThat(room.doomed()).as("only a killed owner's room loses messages").isTrue();
        assertThat(room.talker().awaitClose().code())
            .as("a sender missing echoes %s is told", echoed)
            .isEqualTo(1013);
      }
      room.quiet().send("who");
      String who = room.quiet().nextText();
      assertThat(who).as("attachments and tags survive the owner").startsWith("who quiet[calm]");
      if (!room.talker().isClosed()) {
        assertThat(who).contains("talker[]");
      }
      assertThat(room.quiet().isClosed()).isFalse();
    }
    doomed.kill();
    return takeover;
  }
}
