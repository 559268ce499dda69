package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP into rooms (their onRequest) and calls between rooms, through a real local run: a real
 * HTTP client, the gateway's Undertow, the loopback link, the owner's mailboxes and Redis.
 */
class HttpIntoRoomsIT {

  private static final int LIMIT = 1024;
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(1);

  /** Requests the gateway lets wait for their rooms at once (the tally test needs four). */
  private static final int MAX_PENDING = 4;

  private static LocalRunFixture dormouse;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    EdgeSettings defaults = EdgeSettings.defaults();
    dormouse =
        LocalRunFixture.start(
            new EdgeSettings(
                defaults.handshakeTimeout(),
                defaults.idleTimeout(),
                defaults.closeTimeout(),
                MAX_PENDING,
                defaults.maxHeaderBytes()),
            LocalRunFixture.room(
                "hp",
                "dev.dormouse.testing.HttpProbeRoom",
                """
                instances: true
                hibernation:
                  idleTimeout: 300ms
                limits:
                  maxMessageBytes: %d
                  eventTimeout: %ds
                """
                    .formatted(LIMIT, EVENT_TIMEOUT.toSeconds())),
            LocalRunFixture.room(
                "single", "dev.dormouse.testing.HttpProbeRoom", "hibernation: {idleTimeout: 30s}"),
            LocalRunFixture.room("plain", "dev.dormouse.testing.ProbeRoom", ""),
            LocalRunFixture.room(
                "counter", "dev.dormouse.room.builtin.CounterRoom", "instances: true"),
            LocalRunFixture.room("tally", "dev.dormouse.room.builtin.TallyRoom", ""),
            LocalRunFixture.room(
                "patient",
                "dev.dormouse.testing.HttpProbeRoom",
                "instances: true\nlimits: {eventTimeout: 20s}"));
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(dormouse.http(path)));
  }

  private HttpResponse<String> post(String path, String body) {
    return send(
        HttpRequest.newBuilder(dormouse.http(path))
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void aClientsRequestIsFromAClientWhateverItsHeadersSayAndARoomsCallIsFromARoom() {
    assertThat(get("/rooms/hp/src/source").body()).isEqualTo("CLIENT");
    HttpResponse<String> forged =
        send(
            HttpRequest.newBuilder(dormouse.http("/rooms/hp/src/source?source=BACKEND"))
                .header("X-Dormouse-Source", "BACKEND")
                .header("X-Forwarded-For", "127.0.0.1")
                .header("Authorization", "Bearer " + "anything")
                .header("Source", "ROOM"));
    assertThat(forged.body()).isEqualTo("CLIENT");
    assertThat(get("/rooms/hp/src/call?room=hp&instance=other&path=/source").body())
        .isEqualTo("called 200: ROOM");
  }

  @Test
  void aRequestIntoAHibernatedInstanceWakesItAndIsAnswered() {
    RoomKey key = new RoomKey("default", "hp", "sleepy");
    assertThat(get("/rooms/hp/sleepy/starts").body()).isEqualTo("1");
    await().atMost(5, TimeUnit.SECONDS).until(() -> !dormouse.run().runtime().isActive(key));

    HttpResponse<String> woken = get("/rooms/hp/sleepy/starts");

    assertThat(woken.statusCode()).isEqualTo(200);
    assertThat(woken.body()).as("onStart ran again: the instance woke").isEqualTo("2");
    assertThat(dormouse.run().runtime().isActive(key)).isTrue();
  }

  @Test
  void everyMethodWithItsQueryHeadersAndBodyReachesTheRoom() {
    HttpResponse<String> posted =
        send(
            HttpRequest.newBuilder(dormouse.http("/rooms/hp/m/echo?b=2&a=1&a=3"))
                .header("X-Probe", "sent")
                .POST(HttpRequest.BodyPublishers.ofString("grüße")));
    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(posted.headers().firstValue("x-probed")).contains("yes");
    assertThat(posted.body())
        .isEqualTo(
            String.join(
                "\n",
                "method=POST",
                "path=/echo",
                "full=/rooms/hp/m/echo",
                "query={a=[1, 3], b=[2]}",
                "x-probe=sent",
                "instance=m",
                "body=grüße"));
    for (String method : new String[] {"PUT", "PATCH", "DELETE", "OPTIONS"}) {
      HttpResponse<String> answered =
          send(
              HttpRequest.newBuilder(dormouse.http("/rooms/hp/m/echo"))
                  .method(method, HttpRequest.BodyPublishers.ofString(method.toLowerCase())));
      assertThat(answered.body())
          .startsWith("method=" + method)
          .endsWith("body=" + method.toLowerCase());
    }
    assertThat(get("/rooms/single/echo/deeper").body())
        .as("a room without instances gets the whole rest of the path")
        .contains("path=/echo/deeper", "instance=\n");
    assertThat(get("/rooms/hp/m/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void aBodyOverTheRoomsLimitIs413WhetherDeclaredOrChunked() {
    assertThat(post("/rooms/hp/big/echo", "x".repeat(LIMIT)).statusCode()).isEqualTo(200);

    HttpResponse<String> declared = post("/rooms/hp/big/echo", "x".repeat(LIMIT + 1));
    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body())
        .isEqualTo("Request body larger than the room's limit of 1024 bytes");

    // No length known up front: the client sends it chunked, the gateway counts as it reads.
    HttpResponse<String> chunked =
        send(
            HttpRequest.newBuilder(dormouse.http("/rooms/hp/big/echo"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(new byte[LIMIT * 4]))));
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(get("/rooms/hp/big/echo").statusCode()).as("the gateway serves on").isEqualTo(200);
  }

  @Test
  void aHandlerPastItsEventTimeoutIs504() {
    long started = System.nanoTime();

    HttpResponse<String> response = get("/rooms/hp/slow/sleep?ms=5000");

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body()).isEqualTo("Room timed out handling the request");
    assertThat(took).isLessThan(EVENT_TIMEOUT.plusSeconds(2));
    assertThat(get("/rooms/hp/slow/echo").statusCode()).as("the instance was reset").isEqualTo(200);
  }

  @Test
  void unknownRoomsAndInstancesAre404() {
    assertThat(get("/rooms/nowhere/x").statusCode()).isEqualTo(404);
    assertThat(get("/rooms/nowhere").body()).isEqualTo("No room named 'nowhere'");
    assertThat(get("/rooms/hp/bad%20name/echo").statusCode()).isEqualTo(404);
    assertThat(get("/rooms/hp//echo").statusCode()).isEqualTo(404);
  }

  @Test
  void aRoomWithoutOnRequestAnswers426AsBefore() {
    for (String path : new String[] {"/rooms/plain", "/rooms/plain/x"}) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).isEqualTo(426);
      assertThat(response.body()).isEqualTo("Expected Upgrade: websocket");
    }
    assertThat(post("/websocket", "").statusCode()).isEqualTo(426);
  }

  @Test
  void theConnectCallbackSeesTheFullPathAndTheQuery() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/hp/joined?k=v&k=w"));
    client.send("hi");
    assertThat(client.nextText()).isEqualTo("echo:hi");

    assertThat(get("/rooms/hp/joined/connected").body()).isEqualTo("/rooms/hp/joined {k=[v, w]}");
  }

  @Test
  void aRoomCallsAnotherRoom() {
    assertThat(post("/rooms/counter/a", "5").body()).isEqualTo("{\"instance\":\"a\",\"value\":5}");
    assertThat(post("/rooms/counter/b", "").body()).isEqualTo("{\"instance\":\"b\",\"value\":1}");

    HttpResponse<String> tally = get("/rooms/tally?of=a,b,untouched");

    assertThat(tally.statusCode()).isEqualTo(200);
    assertThat(tally.body()).isEqualTo("{\"total\":6}");
    assertThat(post("/rooms/tally?to=a", "4").body()).isEqualTo("{\"instance\":\"a\",\"value\":9}");
    assertThat(get("/rooms/hp/caller/call?room=single&path=/echo").body())
        .startsWith("called 200: method=GET\npath=/echo\nfull=/rooms/single/echo\n")
        .contains("x-probe=call");
    assertThat(get("/rooms/hp/caller/call?room=nowhere").body())
        .isEqualTo("called 404: No room named 'nowhere'");
  }

  @Test
  void aRoomCallingItselfAnswersWhenItComposes() {
    HttpResponse<String> response = get("/rooms/hp/narcissus/self");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .startsWith("called 200: method=GET\npath=/echo\nfull=/rooms/hp/narcissus/echo")
        .contains("instance=narcissus");
  }

  @Test
  void aRoomBlockingOnItsOwnCallFailsAtOnceInsteadOfHanging() {
    long started = System.nanoTime();

    HttpResponse<String> response = get("/rooms/hp/blocker/block");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("cannot wait (get/join)", "Compose on the future");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(EVENT_TIMEOUT);
    assertThat(get("/rooms/hp/blocker/self").statusCode()).isEqualTo(200);
  }

  @Test
  void aCallInFlightKeepsTheCallerFromIdleEviction() throws Exception {
    RoomKey caller = new RoomKey("default", "hp", "waiter");
    assertThat(get("/rooms/hp/waiter/starts").body()).isEqualTo("1");
    // The callee sleeps three of the caller's idle timeouts (300 ms), within its eventTimeout.
    CompletableFuture<HttpResponse<String>> calling =
        http.sendAsync(
            HttpRequest.newBuilder(
                    dormouse.http(
                        "/rooms/hp/waiter/call?room=hp&instance=sleeper&path=/sleep&ms=900"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> dormouse.run().runtime().isActive(new RoomKey("default", "hp", "sleeper")));

    while (!calling.isDone()) {
      assertThat(dormouse.run().runtime().isActive(caller))
          .as("the caller waits in memory")
          .isTrue();
      Thread.onSpinWait();
    }

    assertThat(calling.get().body()).isEqualTo("called 200: slept");
    assertThat(get("/rooms/hp/waiter/starts").body()).as("never evicted meanwhile").isEqualTo("1");
  }

  @Test
  void pastTheCapOnWaitingRequestsTheGatewayAnswers503() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> sleeping = new ArrayList<>();
    for (int i = 0; i < MAX_PENDING; i++) {
      sleeping.add(
          http.sendAsync(
              HttpRequest.newBuilder(dormouse.http("/rooms/patient/s" + i + "/sleep?ms=3000"))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < MAX_PENDING; i++) {
      RoomKey key = new RoomKey("default", "patient", "s" + i);
      await().atMost(10, TimeUnit.SECONDS).until(() -> dormouse.run().runtime().isActive(key));
    }

    HttpResponse<String> refused = get("/rooms/hp/one-too-many/echo");

    assertThat(sleeping).noneMatch(CompletableFuture::isDone);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).isEqualTo("Too many requests waiting for their rooms, try again");
    assertThat(refused.headers().firstValue("retry-after")).contains("1");
    for (CompletableFuture<HttpResponse<String>> slept : sleeping) {
      assertThat(slept.get(20, TimeUnit.SECONDS).body()).isEqualTo("slept");
    }
    assertThat(get("/rooms/hp/one-too-many/echo").statusCode()).isEqualTo(200);
  }

  @Test
  void requestsAreCountedByTheOwner() {
    double before = dormouse.run().metrics().requestsIn();
    get("/rooms/hp/counted/echo");
    assertThat(dormouse.run().metrics().requestsIn()).isEqualTo(before + 1);
    URI metrics = dormouse.admin("/metrics");
    assertThat(LocalRunFixture.get(metrics).body()).contains("dormouse_requests_in_total");
  }
}
