package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.publish.PublishToken;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.PublishClient;
import dev.dormouse.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publish API over two gateways and one owner on one Redis: messages published to a hibernated
 * instance reach every connection (or the tagged ones) on both gateways, in the order they were
 * published whichever gateway took each request, and the room is not woken; every refusal has its
 * status.
 */
class PublishIT {

  static final String ROOMS_PROBE =
      LocalRunFixture.room(
          "probe",
          "dev.dormouse.testing.ProbeRoom",
          """
          instances: true
          hibernation:
            idleTimeout: 1s
          limits:
            maxMessageBytes: 1024
          """);
  static final String ROOM_ALONE =
      LocalRunFixture.room("alone", "dev.dormouse.testing.ProbeRoom", "");
  static final String[] ROOMS = {ROOMS_PROBE, ROOM_ALONE};
  static final RoomKey NEWS = new RoomKey("default", "probe", "news");

  ClusterFixture cluster;
  Metrics ownerMetrics;
  OwnerNode owner;
  GatewayNode east;
  GatewayNode west;
  PublishClient eastApi;
  PublishClient westApi;

  /** The gateways' and owner's Redis: a server of the fixture's own. */
  ClusterFixture fixture() throws Exception {
    return ClusterFixture.start(ROOMS);
  }

  @BeforeEach
  void start() throws Exception {
    cluster = fixture();
    ownerMetrics = new Metrics();
    owner = cluster.owner("o1", ownerMetrics);
    StaticOwnerDirectory owners =
        new StaticOwnerDirectory(List.of(ClusterFixture.endpoint("o1", owner)));
    east = cluster.gateway("east", owners, new Metrics(), Duration.ofSeconds(20));
    west = cluster.gateway("west", owners, new Metrics(), Duration.ofSeconds(20));
    PublishToken token = new PublishToken(PublishClient.TOKEN.getBytes(StandardCharsets.UTF_8));
    eastApi = new PublishClient(east.servePublishApi(0, token));
    westApi = new PublishClient(west.servePublishApi(0, token));
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  WsClient member(GatewayNode gateway, String name, String tags) {
    WsClient client =
        WsClient.connect(
            ClusterFixture.ws(
                gateway.address(), "/rooms/probe/news?name=" + name + "&tags=" + tags));
    client.send("hello");
    assertThat(client.nextText()).isEqualTo("echo:hello");
    return client;
  }

  static JsonNode json(HttpResponse<String> response) throws Exception {
    return new ObjectMapper().readTree(response.body());
  }

  @Test
  void publishedMessagesReachEveryConnectionOfAHibernatedInstanceInOrderWithoutWakingIt()
      throws Exception {
    WsClient eastRed = member(east, "er", "red");
    WsClient eastPlain = member(east, "ep", "blue");
    WsClient westRed = member(west, "wr", "red,blue");
    WsClient westPlain = member(west, "wp", "green");
    List<WsClient> everyone = List.of(eastRed, eastPlain, westRed, westPlain);
    await().atMost(Duration.ofSeconds(10)).until(() -> !owner.runtime().isActive(NEWS));
    double revivals = ownerMetrics.revivals();
    double messagesIn = messagesIn();

    // Sequential requests, alternating between the gateways' APIs: order holds across both.
    int count = 20;
    for (int i = 0; i < count; i++) {
      HttpResponse<String> answer =
          (i % 2 == 0 ? eastApi : westApi).publishText("/v1/rooms/probe/news/messages", "m" + i);
      assertThat(answer.statusCode()).isEqualTo(202);
      JsonNode delivery = json(answer);
      assertThat(delivery.get("connections").asInt()).isEqualTo(4);
      assertThat(delivery.get("gateways").get("east").asInt()).isEqualTo(2);
      assertThat(delivery.get("gateways").get("west").asInt()).isEqualTo(2);
    }
    for (WsClient client : everyone) {
      List<String> heard = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        heard.add(client.nextText());
      }
      assertThat(heard).containsExactlyElementsOf(expected("m", count));
    }

    // Only the tagged connections, one on each gateway.
    HttpResponse<String> tagged =
        westApi.publishText("/v1/rooms/probe/news/messages?tag=red", "for red");
    assertThat(tagged.statusCode()).isEqualTo(202);
    assertThat(json(tagged).get("connections").asInt()).isEqualTo(2);
    assertThat(json(tagged).get("gateways").get("east").asInt()).isEqualTo(1);
    byte[] bytes = {0, 1, 2, (byte) 0xff};
    HttpResponse<String> binary =
        eastApi.send(
            "POST",
            "/v1/rooms/probe/news/messages",
            PublishClient.TOKEN,
            "application/octet-stream",
            bytes);
    assertThat(binary.statusCode()).isEqualTo(202);
    assertThat(eastRed.nextText()).isEqualTo("for red");
    assertThat(westRed.nextText()).isEqualTo("for red");
    for (WsClient client : everyone) {
      assertThat(client.nextBinary()).containsExactly(bytes);
    }
    assertThat(eastPlain.nothingReceived()).isTrue();
    assertThat(westPlain.nothingReceived()).isTrue();

    // Nothing of it reached the room: not revived, no event handled, still asleep.
    assertThat(ownerMetrics.revivals()).isEqualTo(revivals);
    assertThat(messagesIn()).isEqualTo(messagesIn);
    assertThat(owner.runtime().isActive(NEWS)).isFalse();
    // And the room wakes as before on a client's message, knowing every connection.
    eastPlain.send("who");
    for (WsClient client : everyone) {
      assertThat(client.nextText()).startsWith("who ").contains("er[red]", "wp[green]");
    }
  }

  double messagesIn() {
    return ownerMetrics.registry().get("dormouse_messages_in").counter().count();
  }

  static List<String> expected(String prefix, int count) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      texts.add(prefix + i);
    }
    return texts;
  }

  @Test
  void anInstanceWithNoConnectionsIsPublishedToNone() throws Exception {
    HttpResponse<String> answer = eastApi.publishText("/v1/rooms/probe/empty/messages", "anyone?");
    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(json(answer).get("connections").asInt()).isZero();
    assertThat(json(answer).get("gateways").size()).isZero();
  }

  @Test
  void aRoomWithoutInstancesIsPublishedToWithoutOne() throws Exception {
    WsClient client = WsClient.connect(ClusterFixture.ws(west.address(), "/rooms/alone?name=a"));
    client.send("hello");
    assertThat(client.nextText()).isEqualTo("echo:hello");
    assertThat(eastApi.publishText("/v1/rooms/alone/messages", "to all").statusCode())
        .isEqualTo(202);
    assertThat(client.nextText()).isEqualTo("to all");
    assertThat(eastApi.publishText("/v1/rooms/alone/x/messages", "no").statusCode()).isEqualTo(404);
  }

  @Test
  void refusalsHaveTheirStatuses() {
    String path = "/v1/rooms/probe/news/messages";
    byte[] body = "hi".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> missing = eastApi.send("POST", path, null, "text/plain", body);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
    assertThat(
            eastApi.send("POST", path, PublishClient.TOKEN + "x", "text/plain", body).statusCode())
        .isEqualTo(401);
    // Without the token nothing else is told, not even whether the room exists.
    assertThat(
            eastApi
                .send("POST", "/v1/rooms/nope/i/messages", "bad", "text/plain", body)
                .statusCode())
        .isEqualTo(401);
    assertThat(eastApi.publishText("/v1/rooms/nope/i/messages", "hi").statusCode()).isEqualTo(404);
    assertThat(eastApi.publishText("/v1/rooms/probe/messages", "hi").statusCode()).isEqualTo(404);
    assertThat(eastApi.publishText("/v1/rooms/probe/../messages", "hi").statusCode())
        .isEqualTo(404);
    assertThat(eastApi.publishText("/v2/rooms/probe/news/messages", "hi").statusCode())
        .isEqualTo(404);
    assertThat(eastApi.publishText(path, "x".repeat(1025)).statusCode()).isEqualTo(413);
    assertThat(eastApi.publishText(path, "x".repeat(1024)).statusCode()).isEqualTo(202);
    assertThat(eastApi.publishChunked(path, "x".repeat(5000)).statusCode()).isEqualTo(413);
    assertThat(eastApi.publishChunked(path, "x".repeat(1000)).statusCode()).isEqualTo(202);
    HttpResponse<String> get = eastApi.send("GET", path, PublishClient.TOKEN, null, new byte[0]);
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    assertThat(eastApi.send("POST", path, PublishClient.TOKEN, "image/png", body).statusCode())
        .isEqualTo(415);
    assertThat(eastApi.send("POST", path, PublishClient.TOKEN, null, body).statusCode())
        .isEqualTo(415);
    assertThat(
            eastApi
                .send("POST", path, PublishClient.TOKEN, "text/plain", new byte[] {(byte) 0xc3})
                .statusCode())
        .isEqualTo(400);
    assertThat(eastApi.publishText(path + "?tga=red", "hi").statusCode()).isEqualTo(400);
    assertThat(eastApi.publishText(path + "?tag=", "hi").statusCode()).isEqualTo(400);
    HttpResponse<String> twoTags = eastApi.publishText(path + "?tag=a&tag=b", "hi");
    assertThat(twoTags.statusCode()).isEqualTo(400);
    assertThat(twoTags.body()).startsWith("{\"error\":");
    assertThat(owner.runtime().isActive(NEWS)).isFalse();
  }
}
