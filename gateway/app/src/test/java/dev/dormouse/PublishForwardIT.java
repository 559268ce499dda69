package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.publish.PublishToken;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.PublishClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The publish API's {@code …/request/{path}}: a backend's request handed to the room's onRequest as
 * a client's would be — waking a hibernated instance — behind the API's own token, which the room
 * never sees.
 */
class PublishForwardIT {

  private static final int LIMIT = 512;

  private static LocalRunFixture dormouse;
  private static PublishClient api;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room(
                "hp",
                "dev.dormouse.testing.HttpProbeRoom",
                """
                instances: true
                hibernation:
                  idleTimeout: 300ms
                limits:
                  maxMessageBytes: %d
                """
                    .formatted(LIMIT)),
            LocalRunFixture.room("single", "dev.dormouse.testing.HttpProbeRoom", ""));
    api =
        new PublishClient(
            dormouse
                .run()
                .servePublishApi(
                    0, new PublishToken(PublishClient.TOKEN.getBytes(StandardCharsets.UTF_8))));
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  private static HttpResponse<String> request(String method, String path, String body) {
    return api.send(
        method, path, PublishClient.TOKEN, "text/plain", body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aForwardedRequestWakesTheHibernatedInstanceAndCarriesItsAnswerBack() {
    RoomKey key = new RoomKey("default", "hp", "backend");
    assertThat(request("GET", "/v1/rooms/hp/backend/request/starts", "").body()).isEqualTo("1");
    await().atMost(Duration.ofSeconds(5)).until(() -> !dormouse.run().runtime().isActive(key));

    HttpResponse<String> woken = request("GET", "/v1/rooms/hp/backend/request/starts", "");
    assertThat(woken.statusCode()).isEqualTo(200);
    assertThat(woken.body()).as("onStart ran again: the instance woke").isEqualTo("2");

    HttpResponse<String> echoed =
        request("PUT", "/v1/rooms/hp/backend/request/echo/deeper?a=1", "the body");
    assertThat(echoed.statusCode()).isEqualTo(200);
    assertThat(echoed.headers().firstValue("x-probed")).hasValue("yes");
    assertThat(echoed.body())
        .contains("method=PUT")
        .contains("path=/echo/deeper")
        .contains("full=/rooms/hp/backend/echo/deeper")
        .contains("query={a=[1]}")
        .contains("instance=backend")
        .contains("body=the body");
  }

  @Test
  void aForwardedRequestIsFromTheBackend() {
    assertThat(request("GET", "/v1/rooms/hp/src/request/source", "").body()).isEqualTo("BACKEND");
    assertThat(request("GET", "/v1/rooms/single/request/source", "").body()).isEqualTo("BACKEND");
  }

  @Test
  void theRoomNeverSeesTheApisToken() {
    HttpResponse<String> seen = request("GET", "/v1/rooms/hp/t/request/authorization", "");
    assertThat(seen.statusCode()).isEqualTo(200);
    assertThat(seen.body()).isEqualTo("none");
  }

  @Test
  void aRoomWithoutInstancesIsReachedWithoutOne() {
    HttpResponse<String> echoed = request("POST", "/v1/rooms/single/request/echo", "x");
    assertThat(echoed.statusCode()).isEqualTo(200);
    assertThat(echoed.body()).contains("full=/rooms/single/echo").contains("instance=\n");
  }

  @Test
  void refusalsHaveTheirStatuses() {
    RoomKey untouched = new RoomKey("default", "hp", "untouched");
    HttpResponse<String> noToken =
        api.send("GET", "/v1/rooms/hp/untouched/request/starts", null, null, new byte[0]);
    assertThat(noToken.statusCode()).isEqualTo(401);
    assertThat(noToken.headers().firstValue("www-authenticate")).isPresent();
    assertThat(request("GET", "/v1/rooms/nowhere/x/request/starts", "").statusCode())
        .isEqualTo(404);
    assertThat(
            request("POST", "/v1/rooms/hp/untouched/request/echo", "x".repeat(LIMIT + 1))
                .statusCode())
        .isEqualTo(413);
    assertThat(request("TRACE", "/v1/rooms/hp/untouched/request/echo", "").statusCode())
        .isEqualTo(405);
    assertThat(dormouse.run().runtime().isActive(untouched))
        .as("no refused request reached the room")
        .isFalse();
    assertThat(request("GET", "/v1/rooms/hp/untouched/request/nothing", "").statusCode())
        .as("the room's own 404")
        .isEqualTo(404);
  }
}
