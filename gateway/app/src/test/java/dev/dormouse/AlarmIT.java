package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.AlarmIndex;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.CuttableProxy;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.WsClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Alarms that always fire: after the instance hibernated and its owner process was killed and
 * restarted, with retries whose count survives a restart, and once per due time with two owners and
 * two gateways raising. The room's visible effect is what counts: a broadcast its client receives,
 * and the attempts it counts in its storage.
 */
class AlarmIT {

  /** The probe room, hibernating after a second of quiet. */
  static final String NAP =
      LocalRunFixture.room(
          "nap",
          "dev.dormouse.testing.ProbeRoom",
          """
          instances: true
          hibernation:
            idleTimeout: 1s
          """);

  /** How late an alarm may fire, as the issue says: within a second. */
  static final Duration ON_TIME = Duration.ofSeconds(1);

  ClusterFixture cluster;
  RedisConnector redis;

  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.start(NAP);
    cluster.prepareLib();
    redis = RedisConnector.connect(cluster.redisUrl());
  }

  @AfterEach
  void stop() throws Exception {
    redis.close();
    cluster.close();
  }

  /** An owner process o1 on {@code port} and a gateway process in front of it; the gateway's address. */
  InetSocketAddress gatewayTo(int ownerPort) throws Exception {
    int port = FreePorts.any();
    cluster.gatewayProcess("gw", port, "o1=127.0.0.1:" + ownerPort);
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** The instance is out of memory: its owner released its lease on eviction. */
  void awaitHibernated(RoomKey key) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> redis.sync().get(RedisKeys.lease(key)) == null);
  }

  /** Until the test's clock reads {@code nanos}: the wait is for a time, not for the system. */
  static void awaitClock(long nanos) {
    await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - nanos >= 0);
  }

  /** The room's own count of its onAlarm calls. */
  int alarmsRung(RoomKey key) {
    String rung = redis.sync().hget(RedisKeys.storage(key), "alarms");
    return rung == null ? 0 : Integer.parseInt(rung);
  }

  /** The instance's alarm records {@code retries} failed attempts, and the index has its retry time. */
  void awaitRetryIndexed(RoomKey key, int retries) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              String alarm = redis.sync().get(RedisKeys.alarm(key));
              Double indexed = redis.sync().zscore(RedisKeys.alarmIndex("default"), key.toString());
              String[] fields = alarm == null ? new String[0] : alarm.split(" ");
              return fields.length == 3
                  && fields[1].equals(Integer.toString(retries))
                  && indexed != null
                  && indexed.longValue() == Long.parseLong(fields[0]);
            });
  }

  /** A client of an instance whose alarm is set, and when the test reckons it due. */
  record Alarmed(RoomKey key, WsClient client, long dueNanos) {}

  /**
   * An owner process o1 and a gateway process (with {@code env}); a client sets the alarm of instance
   * {@code instance} {@code millis} ahead; the instance hibernates, and o1 is killed and started
   * afresh: no timer of the alarm is left anywhere, only Redis knows it.
   */
  Alarmed alarmSetThenOwnerRestarted(String instance, long millis, Map<String, String> env)
      throws Exception {
    int ownerPort = FreePorts.any();
    ManagedProcess owner = cluster.ownerProcess("o1", ownerPort, List.of(), env);
    int port = FreePorts.any();
    cluster.gatewayProcess("gw", port, "o1=127.0.0.1:" + ownerPort, env);
    InetSocketAddress gateway = new InetSocketAddress("127.0.0.1", port);
    RoomKey key = new RoomKey("default", "nap", instance);
    WsClient client =
        WsClient.connect(ClusterFixture.ws(gateway, "/rooms/nap/" + instance + "?name=x"));

    long dueNanos = System.nanoTime() + Duration.ofMillis(millis).toNanos();
    client.send("alarm:" + millis);
    assertThat(client.nextText()).isEqualTo("alarm set");
    awaitHibernated(key);
    owner.kill();
    cluster.ownerProcess("o1", ownerPort, List.of(), env);
    return new Alarmed(key, client, dueNanos);
  }

  @Test
  void anAlarmFiresOnTimeAfterItsInstanceHibernatedAndItsOwnerProcessWasKilledAndRestarted()
      throws Exception {
    Alarmed alarmed = alarmSetThenOwnerRestarted("k1", 9000, Map.of());

    assertThat(alarmed.client().nextText(Duration.ofSeconds(20))).isEqualTo("alarm rang");
    Duration late = Duration.ofNanos(System.nanoTime() - alarmed.dueNanos());
    System.out.println("alarm after an owner restart: heard " + late.toMillis() + " ms after due");
    assertThat(late).isLessThanOrEqualTo(ON_TIME);
    assertThat(alarmsRung(alarmed.key())).isEqualTo(1);
  }

  @Test
  void anAlarmKeptByTheVersionBeforeRetriesRingsOnceAndIsDeleted() throws Exception {
    int ownerPort = FreePorts.any();
    cluster.ownerProcess("o1", ownerPort);
    InetSocketAddress gateway = gatewayTo(ownerPort);
    RoomKey key = new RoomKey("default", "nap", "legacy");
    WsClient client = WsClient.connect(ClusterFixture.ws(gateway, "/rooms/nap/legacy?name=x"));
    awaitHibernated(key);

    // What the previous version wrote: the bare epoch millis, indexed.
    long due = System.currentTimeMillis() + 1000;
    redis.sync().set(RedisKeys.alarm(key), Long.toString(due));
    redis.sync().zadd(RedisKeys.alarmIndex("default"), due, key.toString());

    assertThat(client.nextText(Duration.ofSeconds(20))).isEqualTo("alarm rang");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                redis.sync().get(RedisKeys.alarm(key)) == null
                    && redis.sync().zscore(RedisKeys.alarmIndex("default"), key.toString())
                        == null);
    assertThat(alarmsRung(key)).isEqualTo(1);
  }

  @Test
  void anAlarmDueWhileRedisDoesNotAnswerIsRaisedOnceItAnswersAgain() throws Exception {
    try (CuttableProxy proxy = CuttableProxy.to(cluster.redis().port())) {
      Alarmed alarmed =
          alarmSetThenOwnerRestarted("k3", 8000, Map.of("REDIS_URL", proxy.redisUrl()));

      // Cut for 4 s around the due time: shorter than the gateway's self-fence (7.5 s).
      awaitClock(alarmed.dueNanos() - Duration.ofSeconds(1).toNanos());
      proxy.cut();
      awaitClock(alarmed.dueNanos() + Duration.ofSeconds(3).toNanos());
      assertThat(alarmed.client().nothingReceived()).as("nothing rings without Redis").isTrue();
      long healedNanos = System.nanoTime();
      proxy.heal();

      assertThat(alarmed.client().nextText(Duration.ofSeconds(20))).isEqualTo("alarm rang");
      Duration after = Duration.ofNanos(System.nanoTime() - healedNanos);
      System.out.println(
          "alarm due during a Redis cut: heard " + after.toMillis() + " ms after the heal");
      assertThat(after).isLessThanOrEqualTo(Duration.ofSeconds(5));
      assertThat(alarmsRung(alarmed.key())).isEqualTo(1);
    }
  }

  @Test
  void aThrowingAlarmIsRetriedWithDoublingBackoffItsCountVisibleAcrossAnOwnerRestart()
      throws Exception {
    int ownerPort = FreePorts.any();
    ManagedProcess owner = cluster.ownerProcess("o1", ownerPort);
    InetSocketAddress gateway = gatewayTo(ownerPort);
    RoomKey key = new RoomKey("default", "nap", "k2");
    WsClient client = WsClient.connect(ClusterFixture.ws(gateway, "/rooms/nap/k2?name=x"));

    client.send("alarm-fail:3:500");
    assertThat(client.nextText()).isEqualTo("alarm set");
    List<Long> heardAt = new ArrayList<>();
    for (int retry = 0; retry < 4; retry++) {
      assertThat(client.nextText(Duration.ofSeconds(20))).isEqualTo("alarm attempt " + retry);
      heardAt.add(System.nanoTime());
      if (retry == 2) {
        // The retry state is in Redis with the alarm: a new process carries on counting. (Killed
        // between writing the retry and indexing it, the owner would leave the index at its claim:
        // raised again once that times out, up to CLAIM_TIMEOUT late.)
        awaitRetryIndexed(key, 3);
        owner.kill();
        owner = cluster.ownerProcess("o1", ownerPort);
      }
    }
    assertThat(client.nextText(Duration.ofSeconds(20))).isEqualTo("alarm rang");

    List<Duration> gaps = new ArrayList<>();
    for (int i = 1; i < heardAt.size(); i++) {
      gaps.add(Duration.ofNanos(heardAt.get(i) - heardAt.get(i - 1)));
    }
    System.out.println("retries after " + gaps);
    assertThat(gaps.get(0))
        .isBetween(Duration.ofMillis(1900), Duration.ofMillis(2000).plus(ON_TIME));
    assertThat(gaps.get(1))
        .isBetween(Duration.ofMillis(3900), Duration.ofMillis(4000).plus(ON_TIME));
    assertThat(gaps.get(2))
        .as("across the restart")
        .isBetween(Duration.ofMillis(7900), Duration.ofMillis(8000).plus(ON_TIME));
  }

  @Test
  void withTwoOwnersAndTwoGatewaysEachAlarmRingsOnceAlsoWhenItsOwnerIsGone() throws Exception {
    OwnerNode one = cluster.owner("owner-1", new Metrics());
    OwnerNode two = cluster.owner("owner-2", new Metrics());
    List<OwnerEndpoint> owners =
        List.of(ClusterFixture.endpoint("owner-1", one), ClusterFixture.endpoint("owner-2", two));
    StaticOwnerDirectory directory = new StaticOwnerDirectory(owners);
    List<GatewayNode> gateways =
        List.of(
            cluster.gateway("east", directory, new Metrics(), Duration.ofSeconds(30)),
            cluster.gateway("west", directory, new Metrics(), Duration.ofSeconds(30)));

    int instances = 16;
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      WsClient client =
          WsClient.connect(
              ClusterFixture.ws(gateways.get(i % 2).address(), "/rooms/nap/i" + i + "?name=x"));
      client.send("alarm:4000");
      assertThat(client.nextText()).isEqualTo("alarm set");
      clients.add(client);
    }
    // owner-1 goes, its timers with it: the gateways raise its instances' alarms at owner-2. Its
    // clients may be closed with 1013 (an answered message whose HANDLED was still on the link is
    // not known to be handled), so the rings are counted in the rooms' storage, not heard.
    one.close();
    List<RoomKey> keys = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      keys.add(new RoomKey("default", "nap", "i" + i));
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> keys.stream().allMatch(key -> alarmsRung(key) >= 1));
    // Long enough for any claim to time out and be raised again: still once each.
    await()
        .during(AlarmIndex.CLAIM_TIMEOUT.plusSeconds(1))
        .atMost(AlarmIndex.CLAIM_TIMEOUT.plusSeconds(5))
        .until(() -> keys.stream().allMatch(key -> alarmsRung(key) == 1));
    for (RoomKey key : keys) {
      assertThat(alarmsRung(key)).as("onAlarm runs of %s", key).isEqualTo(1);
    }
    assertThat(redis.sync().zcard(RedisKeys.alarmIndex("default")))
        .as("every alarm settled")
        .isZero();
  }
}
