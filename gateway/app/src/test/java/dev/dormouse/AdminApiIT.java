package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The admin API of the local run over real HTTP (docs/admin.md): the states a user sees an instance
 * go through, the orders to hibernate and wake it, and every error.
 */
class AdminApiIT {

  static final String PROBE =
      LocalRunFixture.room(
          "probe",
          "dev.dormouse.testing.ProbeRoom",
          """
          instances: true
          hibernation:
            idleTimeout: 1s
          """);

  static final String SOLO =
      LocalRunFixture.room(
          "solo",
          "echo",
          """
          hibernation:
            idleTimeout: 30s
          """);

  static final ObjectMapper JSON = new ObjectMapper();
  static final String TOKEN = "an-admin-token-of-the-test";

  record Answer(int status, JsonNode body, HttpResponse<String> raw) {}

  static Answer call(
      LocalRunFixture dormouse, String method, String path, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(dormouse.admin(path))
            .timeout(Duration.ofSeconds(15))
            .method(method, HttpRequest.BodyPublishers.noBody());
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
      String type = response.headers().firstValue("Content-Type").orElse("");
      JsonNode body = type.startsWith("application/json") ? JSON.readTree(response.body()) : null;
      return new Answer(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithoutAToken {

    LocalRunFixture dormouse;

    @BeforeAll
    void start() throws IOException {
      dormouse = LocalRunFixture.start(PROBE, SOLO);
    }

    @AfterAll
    void stop() throws IOException {
      dormouse.close();
    }

    Answer get(String path) {
      return call(dormouse, "GET", path, Map.of());
    }

    Answer post(String path) {
      return call(dormouse, "POST", path, Map.of());
    }

    String state(String path) {
      return get(path).body().get("state").asText();
    }

    @Test
    void everyRoomIsListedWithItsInstancesAndTheirStates() {
      WsClient client = WsClient.connect(dormouse.ws("/rooms/probe/listed?name=a"));
      client.send("hi");
      assertThat(client.nextText()).isEqualTo("echo:hi");

      Answer rooms = get("/api/rooms");

      assertThat(rooms.status()).isEqualTo(200);
      assertThat(rooms.raw().headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
      List<String> names =
          StreamSupport.stream(rooms.body().get("rooms").spliterator(), false)
              .map(room -> room.get("room").asText())
              .toList();
      assertThat(names).containsExactly("probe", "solo");
      JsonNode probe = rooms.body().get("rooms").get(0);
      assertThat(probe.get("namedInstances").asBoolean()).isTrue();
      assertThat(probe.get("hasOwner").asBoolean()).isTrue();
      JsonNode listed = instance(probe, "listed");
      assertThat(listed.get("state").asText()).isEqualTo("active");
      assertThat(listed.get("connections").asInt()).isEqualTo(1);
      assertThat(listed.get("connectionsByGateway").size()).isEqualTo(1);
      assertThat(listed.get("connectionsByGateway").elements().next().asInt()).isEqualTo(1);
      assertThat(listed.get("owner").asText()).startsWith("dev-owner-");
      assertThat(listed.get("lastActivity").asLong()).isPositive();
      assertThat(listed.get("alarm").isNull()).isTrue();
      assertThat(listed.get("waitingEvents").asInt()).isZero();
      JsonNode solo = rooms.body().get("rooms").get(1);
      assertThat(solo.get("namedInstances").asBoolean()).isFalse();
      assertThat(instance(solo, "").get("state").asText())
          .as("a room without named instances always shows its one")
          .isIn("active", "hibernated");
      client.close(1000, "done");
    }

    @Test
    void anIdleInstanceHibernatesWithItsSocketOpenAndAMessageMakesItActiveAgain() {
      WsClient client = WsClient.connect(dormouse.ws("/rooms/probe/cycle?name=a"));
      client.send("one");
      assertThat(client.nextText()).isEqualTo("echo:one");
      assertThat(state("/api/rooms/default/probe/cycle")).isEqualTo("active");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> state("/api/rooms/default/probe/cycle").equals("hibernated"));
      Answer hibernated = get("/api/rooms/default/probe/cycle");
      assertThat(hibernated.body().get("connections").asInt()).isEqualTo(1);
      assertThat(hibernated.body().get("owner").isNull()).isTrue();

      client.send("two");
      assertThat(client.nextText()).isEqualTo("echo:two");
      assertThat(state("/api/rooms/default/probe/cycle")).isEqualTo("active");
      client.close(1000, "done");
    }

    @Test
    void anInstanceShowsItsWakesAndItsTimelineOfSleepsAndWakes() {
      WsClient client = WsClient.connect(dormouse.ws("/rooms/probe/told?name=a"));
      client.send("one");
      assertThat(client.nextText()).isEqualTo("echo:one");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> state("/api/rooms/default/probe/told").equals("hibernated"));
      client.send("two");
      assertThat(client.nextText()).isEqualTo("echo:two");

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> get("/api/rooms/default/probe/told").body().get("wakes").asLong() == 2);
      JsonNode told = get("/api/rooms/default/probe/told").body();
      List<String> timeline =
          StreamSupport.stream(told.get("timeline").spliterator(), false)
              .map(entry -> entry.get("kind").asText() + " " + entry.get("reason").asText())
              .toList();
      assertThat(timeline).containsExactly("woke connect", "hibernated idle", "woke message");
      JsonNode first = told.get("timeline").get(0);
      assertThat(Instant.parse(first.get("at").asText())).isBefore(Instant.now());
      assertThat(first.get("owner").asText()).startsWith("dev-owner-");
      assertThat(first.get("revivalMillis").asDouble()).isNotNegative();
      assertThat(told.get("timeline").get(1).get("revivalMillis").isNull())
          .as("a hibernation has no revival")
          .isTrue();
      assertThat(told.get("lastRevivalMillis").isNumber()).isTrue();
      assertThat(told.get("lastRevivalMillis").asDouble())
          .isEqualTo(told.get("timeline").get(2).get("revivalMillis").asDouble())
          .isNotNegative();
      JsonNode listed = instance(get("/api/rooms").body().get("rooms").get(0), "told");
      assertThat(listed.get("wakes").asLong()).as("the listing shows it too").isEqualTo(2);
      assertThat(listed.get("timeline").size()).isEqualTo(3);
      client.close(1000, "done");
    }

    @Test
    void theHibernateOrderEvictsAnActiveInstanceAndWakeBringsItBack() {
      WsClient client = WsClient.connect(dormouse.ws("/rooms/solo?name=a"));
      client.send("one");
      assertThat(client.nextText()).isEqualTo("one");
      assertThat(state("/api/rooms/default/solo/_")).isEqualTo("active");

      Answer hibernate = post("/api/rooms/default/solo/_/hibernate");

      assertThat(hibernate.status()).isEqualTo(202);
      assertThat(hibernate.body().get("instance").asText()).isEmpty();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> state("/api/rooms/default/solo/_").equals("hibernated"));
      assertThat(get("/api/rooms/default/solo/_").body().get("connections").asInt())
          .as("its socket stays open")
          .isEqualTo(1);
      assertThat(post("/api/rooms/default/solo/_/hibernate").status())
          .as("idempotent: hibernating a hibernated instance")
          .isEqualTo(202);

      Answer wake = post("/api/rooms/default/solo/_/wake");

      assertThat(wake.status()).isEqualTo(202);
      assertThat(wake.body().get("state").asText()).isEqualTo("active");
      assertThat(client.nothingReceived()).as("no room code ran for the wake").isTrue();
      client.send("two");
      assertThat(client.nextText()).isEqualTo("two");
      client.close(1000, "done");
    }

    @Test
    void unknownRoomsInstancesAndPathsAre404() {
      assertThat(get("/api/rooms/default/nope").status()).isEqualTo(404);
      assertThat(get("/api/rooms/default/nope").body().get("error").asText())
          .contains("no room default/nope");
      assertThat(get("/api/rooms/default/probe/never-seen").status()).isEqualTo(404);
      assertThat(post("/api/rooms/default/probe/never-seen/wake").status()).isEqualTo(404);
      assertThat(get("/api/rooms/default/solo/named").status())
          .as("a room without named instances has only _")
          .isEqualTo(404);
      assertThat(get("/api/rooms/default/probe/_").status())
          .as("a room with named instances has no _")
          .isEqualTo(404);
      for (String path :
          List.of("/api/", "/api/nothing", "/api/rooms/default", "/api/rooms/", "/nothing.html")) {
        Answer answer = get(path);
        assertThat(answer.status()).as(path).isEqualTo(404);
        assertThat(answer.body().get("error").asText()).as(path).isNotBlank();
      }
      assertThat(post("/api/rooms/default/solo/_/explode").status()).isEqualTo(404);
    }

    @Test
    void aWrongMethodIs405NamingTheRightOne() {
      Answer post = post("/api/rooms");
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.raw().headers().firstValue("Allow")).hasValue("GET");
      Answer get = get("/api/rooms/default/solo/_/wake");
      assertThat(get.status()).isEqualTo(405);
      assertThat(get.raw().headers().firstValue("Allow")).hasValue("POST");
      assertThat(call(dormouse, "DELETE", "/api/rooms/default/solo/_", Map.of()).status())
          .isEqualTo(405);
    }

    @Test
    void thePageAndItsFilesAreServedFromTheJar() {
      HttpResponse<String> page = LocalRunFixture.get(dormouse.admin("/"));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body()).contains("<script src=\"admin.js\">");
      assertThat(LocalRunFixture.get(dormouse.admin("/admin.js")).body()).contains("/api/");
      assertThat(LocalRunFixture.get(dormouse.admin("/admin.css")).statusCode()).isEqualTo(200);
      assertThat(LocalRunFixture.get(dormouse.admin("/healthz")).body()).isEqualTo("ok");
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithAToken {

    LocalRunFixture dormouse;

    @BeforeAll
    void start() throws IOException {
      dormouse = LocalRunFixture.startWithAdminToken(TOKEN.getBytes(StandardCharsets.UTF_8), SOLO);
    }

    @AfterAll
    void stop() throws IOException {
      dormouse.close();
    }

    @Test
    void readsStayOpenInDevButOrdersNeedTheToken() {
      assertThat(call(dormouse, "GET", "/api/rooms", Map.of()).status()).isEqualTo(200);
      assertThat(LocalRunFixture.get(dormouse.admin("/")).statusCode()).isEqualTo(200);

      Answer none = call(dormouse, "POST", "/api/rooms/default/solo/_/wake", Map.of());
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(none.body().get("error").asText()).contains("Authorization: Bearer");
      Answer wrong =
          call(
              dormouse,
              "POST",
              "/api/rooms/default/solo/_/wake",
              Map.of("Authorization", "Bearer not-the-admin-token"));
      assertThat(wrong.status()).isEqualTo(403);
      assertThat(wrong.body().get("error").asText()).isEqualTo("wrong admin token");
      Answer right =
          call(
              dormouse,
              "POST",
              "/api/rooms/default/solo/_/wake",
              Map.of("Authorization", "Bearer " + TOKEN));
      assertThat(right.status()).isEqualTo(202);
      assertThat(right.body().get("state").asText()).isEqualTo("active");
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithManyInstances {

    /** InstanceStates.LISTED_HISTORIES, as docs/admin.md states it. */
    static final int LISTED_HISTORIES = 100;

    LocalRunFixture dormouse;

    @BeforeAll
    void start() throws IOException {
      dormouse = LocalRunFixture.start(PROBE);
    }

    @AfterAll
    void stop() throws IOException {
      dormouse.close();
    }

    @Test
    void aListingReadsTheHistoryOfItsFirstHundredInstancesAndTheInstanceItselfAlways() {
      List<WsClient> clients = new ArrayList<>();
      for (int i = 0; i <= LISTED_HISTORIES; i++) {
        clients.add(WsClient.connect(dormouse.ws("/rooms/probe/" + String.format("i%03d", i))));
      }
      String last = String.format("i%03d", LISTED_HISTORIES);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () -> call(dormouse, "GET", "/api/rooms/default/probe/" + last, Map.of()),
              answer -> answer.status() == 200 && answer.body().get("wakes").asLong() == 1);

      for (String path : List.of("/api/rooms", "/api/rooms/default/probe")) {
        JsonNode listing = call(dormouse, "GET", path, Map.of()).body();
        JsonNode probe = listing.has("rooms") ? listing.get("rooms").get(0) : listing;
        assertThat(probe.get("instances").size()).as(path).isEqualTo(LISTED_HISTORIES + 1);
        assertThat(instance(probe, "i000").get("timeline").isArray()).as(path).isTrue();
        JsonNode beyond = instance(probe, last);
        assertThat(beyond.get("wakes").isNull()).as(path).isTrue();
        assertThat(beyond.get("lastRevivalMillis").isNull()).as(path).isTrue();
        assertThat(beyond.get("timeline").isNull()).as(path).isTrue();
      }
      clients.forEach(client -> client.close(1000, "done"));
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class WithRedisDown {

    LocalRunFixture dormouse;

    @BeforeAll
    void start() throws IOException {
      dormouse = LocalRunFixture.start(SOLO);
    }

    @AfterAll
    void stop() throws IOException {
      dormouse.close();
    }

    @Test
    void readsAnswer503NamingRedis() throws IOException {
      dormouse.redis().stop();

      Answer rooms = call(dormouse, "GET", "/api/rooms", Map.of());

      assertThat(rooms.status()).isEqualTo(503);
      assertThat(rooms.body().get("error").asText()).startsWith("Redis unavailable");
    }
  }

  static JsonNode instance(JsonNode room, String name) {
    for (JsonNode instance : room.get("instances")) {
      if (instance.get("instance").asText().equals(name)) {
        return instance;
      }
    }
    throw new AssertionError("no instance " + name + " in " + room);
  }
}
