package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HTTP requests gateway → owner and calls owner → gateway over a real link: answered, or 503 on loss. */
class LinkHttpIT {

  private static final RoomKey KEY = new RoomKey("default", "counter", "a");

  private final LinkFixture fixture = new LinkFixture();
  private final RecordingRoomEvents events = new RecordingRoomEvents();
  private final RecordingClients local = new RecordingClients();
  private final LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();

  @AfterEach
  void close() {
    fixture.close();
  }

  private static RoomEvent.Request request(String body) {
    return new RoomEvent.Request(
        KEY, "gw-1", RoomRequest.post("/add", body), new CompletableFuture<>());
  }

  @Test
  void aRequestReachesTheOwnerAndItsResponseComesBack() throws Exception {
    events.answer =
        event -> {
          if (event instanceof RoomEvent.Request r) {
            r.response().complete(RoomResponse.text(201, "got " + r.request().bodyText()));
          }
        };
    LinkServer server = fixture.server(events);
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    RoomEvent.Request request = request("7");

    assertThat(client.offer(request)).isTrue();

    RoomResponse response = request.response().get(5, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.bodyText()).isEqualTo("got 7");
    RoomEvent.Request received = events.of(RoomEvent.Request.class).get(0);
    assertThat(received.gatewayId()).isEqualTo("gw-1");
    assertThat(received.request().method()).isEqualTo("POST");
  }

  @Test
  void aRequestTheOwnerNeverAnsweredIs503WhenTheLinkIsLost() throws Exception {
    LinkServer server = fixture.server(events);
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    RoomEvent.Request request = request("lost");
    client.offer(request);
    await().atMost(5, TimeUnit.SECONDS).until(() -> events.events.size() == 1);

    server.close();

    RoomResponse response = request.response().get(5, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.bodyText()).isEqualTo("Owner connection lost, try again");
    assertThat(response.header("Retry-After")).contains("1");
  }

  @Test
  void aRoomsCallIsRoutedByTheGatewayAndAnsweredWithItsResult() throws Exception {
    LinkServer server = fixture.server(events);
    fixture.readyClient("gw-1", server, local, listener);
    RoomKey target = new RoomKey("default", "other", "b");

    CompletableFuture<RoomResponse> answer =
        server.clientSink().call(target, RoomRequest.get("/total"));

    await().atMost(5, TimeUnit.SECONDS).until(() -> local.called.size() == 1);
    RecordingClients.Called called = local.called.get(0);
    assertThat(called.target()).isEqualTo(target);
    assertThat(called.request().path()).isEqualTo("/total");
    assertThat(answer).isNotDone();
    called.answer().complete(RoomResponse.text(200, "42"));
    assertThat(answer.get(5, TimeUnit.SECONDS).bodyText()).isEqualTo("42");
  }

  @Test
  void aCallWhoseGatewayLinkIsLostIs503AndOneWithNoGatewayFailsAtOnce() throws Exception {
    LinkServer server = fixture.server(events);
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    CompletableFuture<RoomResponse> answer =
        server.clientSink().call(KEY, RoomRequest.get("/never"));
    await().atMost(5, TimeUnit.SECONDS).until(() -> local.called.size() == 1);

    client.close();

    RoomResponse lost = answer.get(5, TimeUnit.SECONDS);
    assertThat(lost.status()).isEqualTo(503);
    assertThat(lost.bodyText()).isEqualTo(PendingCalls.LINK_LOST);
    await().atMost(5, TimeUnit.SECONDS).until(() -> server.gatewayCount() == 0);
    CompletableFuture<RoomResponse> alone = server.clientSink().call(KEY, RoomRequest.get("/"));
    assertThat(alone).isDone();
    assertThat(alone.get().status()).isEqualTo(503);
    assertThat(alone.get().bodyText()).isEqualTo("No gateway linked to route the call, try again");
  }

  @Test
  void aRoomAnswerTooLargeForTheLinkIs502AtOnceAndTheLinkCarriesOn() throws Exception {
    events.answer =
        event -> {
          if (event instanceof RoomEvent.Request r) {
            r.response()
                .complete(
                    r.request().bodyText().equals("huge")
                        ? RoomResponse.bytes(
                            200, "application/octet-stream", new byte[FrameCodec.MAX_FRAME])
                        : RoomResponse.text(200, "small"));
          }
        };
    LinkServer server = fixture.server(events);
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    RoomEvent.Request huge = request("huge");

    assertThat(client.offer(huge)).isTrue();

    RoomResponse response = huge.response().get(5, TimeUnit.SECONDS);
    assertThat(response.status()).isEqualTo(502);
    assertThat(response.bodyText()).isEqualTo(GatewaySession.ANSWER_TOO_LARGE);
    RoomEvent.Request next = request("small");
    client.offer(next);
    assertThat(next.response().get(5, TimeUnit.SECONDS).bodyText()).isEqualTo("small");
  }

  @Test
  void aCallTooLargeForTheLinkIsAnswered413AtOnceAndNeverSent() throws Exception {
    LinkServer server = fixture.server(events);
    fixture.readyClient("gw-1", server, local, listener);

    CompletableFuture<RoomResponse> answer =
        server
            .clientSink()
            .call(
                KEY,
                new RoomRequest(
                    "POST",
                    "/",
                    "/rooms/counter/a",
                    Map.of(),
                    Map.of(),
                    new byte[FrameCodec.MAX_FRAME]));

    assertThat(answer).isDone();
    assertThat(answer.get().status()).isEqualTo(413);
    assertThat(answer.get().bodyText()).isEqualTo(GatewaySession.CALL_TOO_LARGE);
    CompletableFuture<RoomResponse> next = server.clientSink().call(KEY, RoomRequest.get("/"));
    await().atMost(5, TimeUnit.SECONDS).until(() -> local.called.size() == 1);
    assertThat(local.called.get(0).request().path()).isEqualTo("/");
    assertThat(next).isNotDone();
  }
}
