package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.UnreachableHolders;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.HostedCluster;
import dev.dormouse.testing.NetworkHosts;
import dev.dormouse.testing.RoomUnderTraffic;
import dev.dormouse.testing.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Redis, two owners and two gateways on hosts of their own ({@link HostedCluster}), one link of the
 * network cut with iptables (silence, no resets) under client traffic in a room on each owner. Each
 * scenario checks what users rely on — every message answered once and in order or its sender told,
 * one live instance per key, attachments intact, no client of a healthy gateway closed — and measures
 * the longest pause a client saw.
 */
@Tag(HostedCluster.TAG)
class NetworkPartitionIT {

  /** A room's answers still in flight as its key moves, from either instance. */
  static final Duration MOVE_SLACK = Duration.ofSeconds(1);

  /** What a room on an owner nobody cut off may pause for. */
  static final Duration UNTOUCHED = Duration.ofSeconds(2);

  /** The link's heartbeat closes a link whose peer has been silent this long. */
  static final Duration LINK_SILENCE = Duration.ofSeconds(8);

  /** DORMOUSE_OWNER_LINK_GRACE, its default. */
  static final Duration LINK_GRACE = Duration.ofSeconds(2);

  HostedCluster cluster;
  NetworkHosts network;
  RoomUnderTraffic onO1;
  RoomUnderTraffic onO2;

  @BeforeAll
  static void needsHosts() {
    HostedCluster.assumeHostsCanBeMade();
  }

  @BeforeEach
  void start() throws Exception {
    cluster = HostedCluster.start();
    network = cluster.network();
    onO1 = RoomUnderTraffic.start(cluster, cluster.instanceOn("o1", "a"));
    onO2 = RoomUnderTraffic.start(cluster, cluster.instanceOn("o2", "b"));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  /** Cuts {@code a} from each of {@code others} for {@code cut}, then heals and lets traffic resume. */
  void cutFor(Duration cut, String a, String... others) {
    for (String other : others) {
      network.cut(cluster.host(a), cluster.host(other));
    }
    await().pollDelay(cut).atMost(cut.plusSeconds(1)).until(() -> true);
    healAndResume(a, others);
  }

  /** Heals the cuts of {@code a} from each of {@code others} and lets traffic resume. */
  void healAndResume(String a, String... others) {
    for (String other : others) {
      network.heal(cluster.host(a), cluster.host(other));
    }
    long healed = System.nanoTime();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> onO1.answeredAfter(healed) && onO2.answeredAfter(healed));
  }

  void assertGuarantees(List<String> healthyGateways) throws InterruptedException {
    for (RoomUnderTraffic room : List.of(onO1, onO2)) {
      room.stop();
      room.assertEveryMessageAnsweredOnceInOrderOrItsSenderTold();
      room.assertOneLiveInstanceAtATime(MOVE_SLACK);
      room.assertAttachmentsIntact();
    }
    for (String gateway : healthyGateways) {
      onO1.assertQuietOpen(gateway);
      onO2.assertOpen(gateway);
    }
  }

  static void report(String scenario, RoomUnderTraffic room) {
    System.out.printf(
        "netns %s: %s paused at most %d ms (prober reconnected %d times; instances %s; members heard"
            + " nothing for at most %d ms at gw1, %d ms at gw2; %s)%n",
        scenario,
        room.path(),
        room.longestPause().toMillis(),
        room.reconnects(),
        room.instances(),
        room.longestSilenceOf("gw1").toMillis(),
        room.longestSilenceOf("gw2").toMillis(),
        room.talkersSummary());
  }

  /** Before the owner left the rings when cut off from Redis, its rooms paused for the whole cut. */
  @Test
  void anOwnerCutOffFromRedisLetsAnotherOwnerServeItsKeysWithinTheLeaseTtl() throws Exception {
    cutFor(Duration.ofSeconds(12), "o1", "redis");

    assertGuarantees(HostedCluster.GATEWAYS);
    report("owner cut from Redis 12 s", onO1);
    report("owner cut from Redis 12 s", onO2);
    assertThat(onO2.longestPause()).isLessThan(UNTOUCHED);
    // It stops acting within its lease's validity; its keys must not wait out the cut.
    assertThat(onO1.longestPause()).isLessThan(ClusterFixture.LEASE_TTL.plusSeconds(4));
  }

  /** Before the owner let its keys go with no gateway linked, it kept its leases and its rooms waited out the cut. */
  @Test
  void anOwnerCutOffFromItsGatewaysLosesItsKeysOnceTheLinksTimeOutAndItsLeasesExpire()
      throws Exception {
    cutFor(Duration.ofSeconds(20), "o1", "gw1", "gw2");

    assertGuarantees(HostedCluster.GATEWAYS);
    report("owner cut from its gateways 20 s", onO1);
    report("owner cut from its gateways 20 s", onO2);
    assertThat(onO2.longestPause()).isLessThan(UNTOUCHED);
    assertThat(onO1.longestPause())
        .isLessThan(LINK_SILENCE.plus(LINK_GRACE).plus(ClusterFixture.LEASE_TTL).plusSeconds(2));
  }

  /**
   * The contract observed: the cut gateway's events for the cut owner's keys wait (its ring moves them
   * to the other owner, which hands them back while the cut owner holds the lease), and arrive in
   * order once the cut heals; senders with messages in flight on the link when its heartbeat closed
   * it are told with 1013. The other gateway's clients notice nothing.
   */
  @Test
  void aGatewayCutOffFromOneOwnerDelaysOnlyThatOwnersRoomsForItsClients() throws Exception {
    cutFor(Duration.ofSeconds(15), "gw1", "o1");

    assertGuarantees(HostedCluster.GATEWAYS);
    report("gateway cut from one owner 15 s", onO1);
    report("gateway cut from one owner 15 s", onO2);
    onO1.assertOpen("gw2");
    assertThat(onO2.longestPause()).isLessThan(UNTOUCHED);
  }

  /**
   * A cut longer than the link's silence limit (8 s) and the 15 s an owner keeps frames for a gateway
   * that is not linked: the owner drops what the room sent the cut gateway's members, as if that
   * gateway were dead, yet it is alive. Before, those members stayed open and missed messages untold
   * (a 30 s cut: the member of gw1 never heard any of the 364 broadcasts sent from the link's loss
   * on). They must hear everything in order or be closed with 1013, before the cut heals.
   */
  @Test
  void aGatewayCutOffFromOneOwnerForLongerThanTheOwnerKeepsItsFramesToldItsMembers()
      throws Exception {
    network.cut(cluster.host("gw1"), cluster.host("o1"));
    // The owner lives on and renews the room's lease: once the link is seen dead and the owner no
    // longer keeps messages for the gateway, its member there is told to connect again.
    onO1.assertQuietClosed("gw1", 1013, LINK_SILENCE.plus(UnreachableHolders.AFTER).plusSeconds(6));
    healAndResume("gw1", "o1");

    report("gateway cut from one owner until its members were told", onO1);
    assertGuarantees(List.of("gw2"));
  }

  @Test
  void aGatewayCutOffFromRedisForLessThanItsDeadAfterChangesNothingForItsClients()
      throws Exception {
    cutFor(Duration.ofSeconds(2), "gw1", "redis");

    assertGuarantees(HostedCluster.GATEWAYS);
    report("gateway cut from Redis 2 s", onO1);
    for (RoomUnderTraffic room : List.of(onO1, onO2)) {
      room.assertOpen("gw1");
      assertThat(room.reconnects()).isZero();
      assertThat(room.longestPause()).isLessThan(UNTOUCHED);
    }
  }

  /**
   * Long enough that the other gateway's reaper takes the cut one for dead during it: its rounds (every
   * 2 s) must see the heartbeat unchanged for the dead-after.
   */
  static final Duration LONG_REDIS_CUT = HostedCluster.DEAD_AFTER.multipliedBy(2);

  /**
   * Cuts gw1 from Redis for {@link #LONG_REDIS_CUT}: its clients must be closed with 1013 within its dead-after, before
   * the others may reap it, and connect again through gw2; once healed, gw1 serves again.
   */
  void fenceGatewayOneAndHeal() throws InterruptedException {
    long cutAt = System.nanoTime();
    network.cut(cluster.host("gw1"), cluster.host("redis"));
    for (RoomUnderTraffic room : List.of(onO1, onO2)) {
      room.assertQuietClosed("gw1", 1013, HostedCluster.DEAD_AFTER);
    }
    System.out.printf(
        "netns gateway cut from Redis %d s: its clients got 1013 %d ms after the cut%n",
        LONG_REDIS_CUT.toSeconds(), (System.nanoTime() - cutAt) / 1_000_000);
    Duration rest = LONG_REDIS_CUT.minusNanos(System.nanoTime() - cutAt);
    await().pollDelay(rest).atMost(rest.plusSeconds(1)).until(() -> true);
    assertThat(cluster.ready("gw1")).as("a fenced gateway is not ready").isFalse();
    network.heal(cluster.host("gw1"), cluster.host("redis"));
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.ready("gw1"));
    WsClient again = WsClient.connect(cluster.ws("gw1", onO1.path() + "?name=again"));
    again.send("stamp:again-0");
    String answer = again.nextText();
    while (answer.startsWith("stamp:p")) {
      // The probers' broadcasts reach every member, this new one too, and may come first.
      answer = again.nextText();
    }
    assertThat(answer).startsWith("stamp:again-0 by");
  }

  /**
   * The fenced gateway's own closes, written once Redis answers again, and the reaper's must count
   * each connection out once (before the count-out followed the registry's removal: 1 counted open of
   * 4). One test for the connection records and the counts: each check needs the same 20 s cut.
   */
  @Test
  void aGatewayCutOffFromRedisForLongerFencesItselfAndServesAgainAfterTheHeal() throws Exception {
    fenceGatewayOneAndHeal();

    assertGuarantees(List.of("gw2"));
    report("gateway cut from Redis " + LONG_REDIS_CUT.toSeconds() + " s", onO1);
    report("gateway cut from Redis " + LONG_REDIS_CUT.toSeconds() + " s", onO2);
    onO1.assertOpen("gw2");
    for (RoomUnderTraffic room : List.of(onO1, onO2)) {
      assertThat(room.ask("load:closed:q-gw1"))
          .as("the room heard of the fenced member from its gateway, not from the reaper")
          .startsWith("loaded 1013");
    }
    // What the rooms and the healed gateway's record list, and what they count: what is open (gw1:
    // the one made after the heal).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(registry(RedisRecords.CONNECTIONS)).isEqualTo(expectedRegistry());
              assertThat(registry(RedisRecords.COUNTS)).isEqualTo(expectedRegistry());
            });
  }

  /** What the registry holds: connection records, or counts. */
  enum RedisRecords {
    CONNECTIONS,
    COUNTS
  }

  /** Per room how many connections {@code records} says are open, and gw1's connection set's size. */
  String registry(RedisRecords records) {
    StringBuilder summary = new StringBuilder();
    for (RoomUnderTraffic room : List.of(onO1, onO2)) {
      RoomKey key =
          new RoomKey("default", "probe", room.path().substring("/rooms/probe/".length()));
      summary
          .append(key.instance())
          .append('=')
          .append(
              records == RedisRecords.CONNECTIONS
                  ? Long.toString(cluster.redis().hlen(RedisKeys.connections(key)))
                  : cluster
                      .redis()
                      .hget(RedisKeys.connectionCounts("default", "probe"), key.instance()))
          .append(' ');
    }
    return summary
        .append("gw1=")
        .append(cluster.redis().scard(RedisKeys.gatewayConnections("gw1")))
        .toString();
  }

  /** The same as the clients see it: every open client, and the one made through gw1 after the heal. */
  String expectedRegistry() {
    StringBuilder summary = new StringBuilder();
    for (RoomUnderTraffic room : List.of(onO1, onO2)) {
      summary
          .append(room.path().substring("/rooms/probe/".length()))
          .append('=')
          .append(room.openClients() + (room == onO1 ? 1 : 0))
          .append(' ');
    }
    return summary.append("gw1=1").toString();
  }
}
