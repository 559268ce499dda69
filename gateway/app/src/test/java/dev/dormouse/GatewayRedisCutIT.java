package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.link.Refusal;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.CuttableProxy;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.PacedLoop;
import dev.dormouse.testing.WsClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Durations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One gateway's Redis connection cut (packets dropped, no reset) while its clients and those of a
 * healthy gateway talk in one room: a cut longer than the dead-after time must fence the gateway
 * (1013 to its clients before the reaper tells the room they are gone, 503 to upgrades) and a healed
 * one serves again; a shorter cut must go unnoticed.
 */
class GatewayRedisCutIT {

  static final int CUT_CLIENTS = 4;

  ClusterFixture cluster;
  CuttableProxy proxy;
  GatewayNode healthy;
  GatewayNode isolated;

  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.start(LocalRunFixture.PROBE_ROOM_IN_MEMORY);
    OwnerNode owner = cluster.owner("o1", new Metrics());
    StaticOwnerDirectory owners =
        new StaticOwnerDirectory(List.of(ClusterFixture.endpoint("o1", owner)));
    proxy = CuttableProxy.to(cluster.redis().port());
    healthy = cluster.gateway("healthy", owners, new Metrics(), Duration.ofSeconds(20));
    isolated =
        cluster.gateway(
            "isolated", owners, new Metrics(), Duration.ofSeconds(20), proxy.redisUrl());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.heal();
    cluster.close();
    proxy.close();
  }

  static URI room(GatewayNode gateway, String name) {
    return ClusterFixture.ws(gateway.address(), "/rooms/probe/cut?name=" + name);
  }

  static void echoes(WsClient client, String text) {
    client.send(text);
    assertThat(client.nextText()).isEqualTo("echo:" + text);
  }

  List<WsClient> clientsOfIsolated() {
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < CUT_CLIENTS; i++) {
      WsClient client = WsClient.connect(room(isolated, "cut" + i));
      echoes(client, "hello");
      clients.add(client);
    }
    return clients;
  }

  @Test
  void aCutLongerThanDeadAfterFencesTheGatewayBeforeItIsReapedAndItServesAfterTheHeal()
      throws Exception {
    WsClient bystander = WsClient.connect(room(healthy, "bystander"));
    echoes(bystander, "hello");
    List<WsClient> cut = clientsOfIsolated();

    long cutAt = System.nanoTime();
    proxy.cut();
    // Under traffic: each fenced client keeps sending until it is told to go.
    List<PacedLoop> senders = new ArrayList<>();
    for (WsClient client : cut) {
      senders.add(
          PacedLoop.start(
              "sender",
              Duration.ofMillis(50),
              n -> {
                try {
                  client.send("m" + n);
                } catch (RuntimeException e) {
                  return false; // the socket closed under the send
                }
                return !client.isClosed();
              }));
    }
    for (WsClient client : cut) {
      WsClient.Close close = client.awaitClose(ClusterFixture.DEAD_AFTER.multipliedBy(2));
      assertThat(close)
          .isEqualTo(
              new WsClient.Close(
                  Refusal.GATEWAY_FENCED.closeCode(), Refusal.GATEWAY_FENCED.reason()));
    }
    long fencedAfterMillis = (System.nanoTime() - cutAt) / 1_000_000;
    System.out.println(
        "isolated gateway's clients got 1013 " + fencedAfterMillis + " ms after the cut");
    // Before the reapers may take the gateway for dead: no room was told "gateway lost" first.
    assertThat(fencedAfterMillis).isLessThan(ClusterFixture.DEAD_AFTER.toMillis());
    for (PacedLoop sender : senders) {
      assertThat(sender.awaitEnd(Durations.TEN_SECONDS)).isTrue();
    }
    assertThat(WsClient.refusedStatus(room(isolated, "late"), Map.of())).isEqualTo(503);

    // Past the time the reaper acts: the room heard of each fenced client from its gateway (1013),
    // not from the reaper (1006), and the healthy gateway's client noticed nothing.
    await()
        .pollDelay(ClusterFixture.DEAD_AFTER)
        .atMost(Durations.TEN_SECONDS)
        .untilAsserted(
            () -> {
              for (int i = 0; i < CUT_CLIENTS; i++) {
                bystander.send("load:closed:cut" + i);
                assertThat(bystander.nextText()).startsWith("loaded 1013");
              }
            });
    assertThat(bystander.isClosed()).isFalse();
    echoes(bystander, "still here");

    proxy.heal();
    await()
        .atMost(Durations.TEN_SECONDS)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              WsClient again = WsClient.connect(room(isolated, "again"));
              echoes(again, "back");
            });
    assertThat(isolated.isFenced()).isFalse();
    assertThat(bystander.isClosed()).isFalse();
  }

  @Test
  void aCutShorterThanDeadAfterGoesUnnoticed() throws Exception {
    List<WsClient> cut = clientsOfIsolated();

    proxy.cut();
    await().pollDelay(ClusterFixture.HEARTBEAT.multipliedBy(2)).until(() -> true);
    proxy.heal();

    // Longer than the reapers wait: a cut this short must not fence the gateway late either.
    await()
        .during(ClusterFixture.DEAD_AFTER.plusSeconds(1))
        .atMost(ClusterFixture.DEAD_AFTER.plusSeconds(5))
        .until(() -> cut.stream().noneMatch(WsClient::isClosed) && !isolated.isFenced());
    for (WsClient client : cut) {
      echoes(client, "after");
    }
  }
}
