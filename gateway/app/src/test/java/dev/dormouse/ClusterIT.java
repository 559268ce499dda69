package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.room.RoomKey;
import dev.dormouse.routing.OwnerRing;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gateways and owners apart, on loopback, over one real Redis. */
class ClusterIT {

  static final ObjectMapper JSON = new ObjectMapper();
  ClusterFixture cluster;

  static final String[] ROOMS = {
    LocalRunFixture.room("chat", "chat", "instances: true\nhibernation:\n  idleTimeout: 30s\n"),
    LocalRunFixture.room(
        "probe",
        "dev.dormouse.testing.ProbeRoom",
        """
            instances: true
            hibernation:
              idleTimeout: 500ms
            limits:
              wakeBufferMessages: 5
            """)
  };

  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.start(ROOMS);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  static String text(WsClient client) throws Exception {
    return JSON.readTree(client.nextText()).path("text").asText();
  }

  @Test
  void roomsSpreadOverOwnersAndClientsOnDifferentGatewaysSeeEachOther() throws Exception {
    OwnerNode one = cluster.owner("owner-1", new Metrics());
    OwnerNode two = cluster.owner("owner-2", new Metrics());
    List<OwnerEndpoint> owners =
        List.of(ClusterFixture.endpoint("owner-1", one), ClusterFixture.endpoint("owner-2", two));
    StaticOwnerDirectory directory = new StaticOwnerDirectory(owners);
    GatewayNode east = cluster.gateway("east", directory, new Metrics(), Duration.ofSeconds(20));
    GatewayNode west = cluster.gateway("west", directory, new Metrics(), Duration.ofSeconds(20));

    for (int room = 0; room < 6; room++) {
      RoomKey key = new RoomKey("default", "chat", "r" + room);
      WsClient ann =
          WsClient.connect(ClusterFixture.ws(east.address(), "/rooms/chat/r" + room + "?name=ann"));
      ann.nextText(); // her own join
      WsClient bob =
          WsClient.connect(ClusterFixture.ws(west.address(), "/rooms/chat/r" + room + "?name=bob"));
      ann.nextText();
      bob.nextText();
      for (int m = 0; m < 20; m++) {
        ann.send("a" + m);
        bob.send("b" + m);
      }
      for (WsClient reader : List.of(ann, bob)) {
        int nextA = 0;
        int nextB = 0;
        for (int i = 0; i < 40; i++) {
          String got = text(reader);
          if (got.startsWith("a")) {
            assertThat(got).isEqualTo("a" + nextA++);
          } else {
            assertThat(got).isEqualTo("b" + nextB++);
          }
        }
      }
      String expected = OwnerRing.pick(key, owners).orElseThrow().ownerId();
      OwnerNode holder = expected.equals("owner-1") ? one : two;
      OwnerNode other = holder == one ? two : one;
      assertThat(holder.runtime().isActive(key)).as("%s runs on its ring owner", key).isTrue();
      assertThat(other.runtime().isActive(key)).as("%s runs nowhere else", key).isFalse();
    }
  }

  @Test
  void anOwnerDrainedAndReplacedWhileClientsChatLosesNothing() throws Exception {
    OwnerNode old = cluster.owner("old", new Metrics());
    StaticOwnerDirectory directory =
        new StaticOwnerDirectory(List.of(ClusterFixture.endpoint("old", old)));
    GatewayNode gateway = cluster.gateway("gw", directory, new Metrics(), Duration.ofSeconds(20));
    WsClient ann =
        WsClient.connect(ClusterFixture.ws(gateway.address(), "/rooms/chat/roll?name=ann"));
    ann.nextText();
    WsClient bob =
        WsClient.connect(ClusterFixture.ws(gateway.address(), "/rooms/chat/roll?name=bob"));
    ann.nextText();
    bob.nextText();

    Thread talk =
        new Thread(
            () -> {
              for (int m = 0; m < 200; m++) {
                ann.send("m" + m);
              }
            });
    talk.start();
    OwnerNode replacement = cluster.owner("new", new Metrics());
    // As Kubernetes would: the replacement becomes ready, the old pod turns unready and is told to
    // drain.
    directory.set(List.of(ClusterFixture.endpoint("new", replacement)));
    old.drain(Duration.ofSeconds(10));
    talk.join();

    for (WsClient reader : List.of(ann, bob)) {
      for (int m = 0; m < 200; m++) {
        assertThat(text(reader)).isEqualTo("m" + m);
      }
      assertThat(reader.isClosed()).isFalse();
    }
    assertThat(old.runtime().drained()).isTrue();
    bob.send("after the roll");
    for (WsClient reader : List.of(ann, bob)) {
      assertThat(text(reader)).isEqualTo("after the roll");
    }
    assertThat(replacement.runtime().isActive(new RoomKey("default", "chat", "roll"))).isTrue();
  }

  @Test
  void aGatewayWhoseClientsOnlyListenHearsTheNewOwnerAfterARoll() throws Exception {
    OwnerNode old = cluster.owner("old", new Metrics());
    StaticOwnerDirectory directory =
        new StaticOwnerDirectory(List.of(ClusterFixture.endpoint("old", old)));
    GatewayNode talking =
        cluster.gateway("talking", directory, new Metrics(), Duration.ofSeconds(20));
    GatewayNode listening =
        cluster.gateway("listening", directory, new Metrics(), Duration.ofSeconds(20));
    WsClient ann =
        WsClient.connect(ClusterFixture.ws(talking.address(), "/rooms/chat/radio?name=ann"));
    ann.nextText();
    WsClient bob =
        WsClient.connect(ClusterFixture.ws(listening.address(), "/rooms/chat/radio?name=bob"));
    ann.nextText();
    bob.nextText();

    OwnerNode replacement = cluster.owner("new", new Metrics());
    directory.set(List.of(ClusterFixture.endpoint("new", replacement)));
    old.drain(Duration.ofSeconds(10));
    for (int m = 0; m < 50; m++) {
      ann.send("m" + m);
    }

    for (int m = 0; m < 50; m++) {
      assertThat(text(bob)).as("bob only listens, through the other gateway").isEqualTo("m" + m);
    }
    assertThat(replacement.runtime().isActive(new RoomKey("default", "chat", "radio"))).isTrue();
  }

  @Test
  void wakeFromZeroDeliversWaitingEventsInOrderAndRefusesPastTheBuffer() throws Exception {
    OwnerNode first = cluster.owner("first", new Metrics());
    StaticOwnerDirectory directory =
        new StaticOwnerDirectory(List.of(ClusterFixture.endpoint("first", first)));
    Metrics gatewayMetrics = new Metrics();
    GatewayNode gateway = cluster.gateway("gw", directory, gatewayMetrics, Duration.ofSeconds(20));
    WsClient patient =
        WsClient.connect(ClusterFixture.ws(gateway.address(), "/rooms/probe/zero?name=p"));
    WsClient eager =
        WsClient.connect(ClusterFixture.ws(gateway.address(), "/rooms/probe/zero?name=e"));
    // The room scales to zero: its only owner drains away.
    directory.set(List.of());
    first.drain(Duration.ofSeconds(10));

    for (int m = 0; m < 4; m++) {
      patient.send("w" + m);
    }
    // The two clients' frames are read on different I/O threads: let the patient's arrive first.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                gatewayMetrics.registry().get("dormouse_gateway_waiting_events").gauge().value()
                    == 4);
    eager.send("one too many");
    eager.send("two too many");
    assertThat(eager.awaitClose().code()).isEqualTo(1013);

    OwnerNode woken = cluster.owner("woken", new Metrics());
    directory.set(List.of(ClusterFixture.endpoint("woken", woken)));

    for (int m = 0; m < 4; m++) {
      assertThat(patient.nextText()).isEqualTo("echo:w" + m);
    }
    patient.send("who");
    assertThat(patient.nextText())
        .as("the eager client's close reached the room")
        .isEqualTo("who p[]");
  }

  @Test
  void aClientOfARoomWithNoOwnerYetIsServedOnceOneAppears() throws Exception {
    StaticOwnerDirectory directory = new StaticOwnerDirectory(List.of());
    GatewayNode gateway = cluster.gateway("gw", directory, new Metrics(), Duration.ofSeconds(20));
    java.util.concurrent.CompletableFuture<WsClient> connecting =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                WsClient.connect(
                    ClusterFixture.ws(gateway.address(), "/rooms/probe/empty?name=first")));

    OwnerNode owner = cluster.owner("late", new Metrics());
    directory.set(List.of(ClusterFixture.endpoint("late", owner)));

    WsClient client = connecting.get(20, java.util.concurrent.TimeUnit.SECONDS);
    client.send("hello");
    assertThat(client.nextText()).isEqualTo("echo:hello");
  }

  @Test
  void aDeletedRoomsClientsGet1001() throws Exception {
    OwnerNode owner = cluster.owner("owner", new Metrics());
    StaticOwnerDirectory directory =
        new StaticOwnerDirectory(List.of(ClusterFixture.endpoint("owner", owner)));
    GatewayNode gateway = cluster.gateway("gw", directory, new Metrics(), Duration.ofSeconds(20));
    WsClient doomed =
        WsClient.connect(ClusterFixture.ws(gateway.address(), "/rooms/chat/gone?name=d"));
    WsClient bystander =
        WsClient.connect(ClusterFixture.ws(gateway.address(), "/rooms/probe/stays?name=b"));
    String counts = dev.dormouse.contract.RedisKeys.connectionCounts("default", "chat");
    try (var redis = RedisConnector.connect(cluster.redisUrl())) {
      // What the operator's finalizer does when a room is deleted: its keys go, then gateways are
      // told.
      redis.sync().del(counts);
      redis
          .sync()
          .publish(
              dev.dormouse.contract.RedisKeys.CONTROL_CHANNEL,
              dev.dormouse.contract.ControlMessage.roomDeleted("default", "chat").encode());
      WsClient.Close close = doomed.awaitClose();
      assertThat(close.code()).isEqualTo(1001);
      assertThat(close.reason()).isEqualTo("Room deleted");
      // The closes of its clients must not bring the deleted room's keys back.
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> redis.sync().exists(counts) == 0);
    }
    bystander.send("still here");
    assertThat(bystander.nextText()).isEqualTo("echo:still here");
  }

  @Test
  void pastTheWakeTimeoutSendersGet1013() throws Exception {
    OwnerNode only = cluster.owner("only", new Metrics());
    StaticOwnerDirectory directory =
        new StaticOwnerDirectory(List.of(ClusterFixture.endpoint("only", only)));
    GatewayNode gateway = cluster.gateway("gw", directory, new Metrics(), Duration.ofSeconds(1));
    WsClient client =
        WsClient.connect(ClusterFixture.ws(gateway.address(), "/rooms/probe/late?name=l"));
    directory.set(List.of());
    only.drain(Duration.ofSeconds(10));

    client.send("anyone?");

    WsClient.Close close = client.awaitClose();
    assertThat(close.code()).isEqualTo(1013);
    assertThat(close.reason()).contains("did not wake in time");
  }
}
