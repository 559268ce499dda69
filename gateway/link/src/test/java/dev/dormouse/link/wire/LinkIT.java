package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Events from a gateway to an owner and the owner's answers and commands back, over a real socket. */
class LinkIT {

  private static final RoomKey KEY = new RoomKey("default", "chat", "lobby");
  private static final ConnectRequest REQUEST =
      new ConnectRequest(
          "/rooms/chat/lobby",
          Map.of("token", List.of("t")),
          Map.of("origin", List.of("https://example.com")),
          "127.0.0.1:5000",
          Map.of("sub", "user-1", "n", 3));

  private final LinkFixture fixture = new LinkFixture();
  private final RecordingRoomEvents events = new RecordingRoomEvents();
  private final RecordingClients local = new RecordingClients();
  private final LinkFixture.RecordingListener listener = new LinkFixture.RecordingListener();

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aConnectReachesTheOwnerAndItsAnswerCompletesTheOriginalFuture() throws Exception {
    AutoResponsePair pair = new AutoResponsePair("ping", "pong");
    events.answer =
        event ->
            ((RoomEvent.Connect) event)
                .outcome()
                .complete(ConnectOutcome.accepted(Optional.of(pair)));
    LinkServer server = fixture.server(events);
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    CompletableFuture<ConnectOutcome> outcome = new CompletableFuture<>();

    assertThat(client.offer(new RoomEvent.Connect(KEY, "gw-1", "gw-1.a", REQUEST, outcome)))
        .isTrue();

    assertThat(outcome.get(5, TimeUnit.SECONDS))
        .isEqualTo(ConnectOutcome.accepted(Optional.of(pair)));
    RoomEvent.Connect received = events.of(RoomEvent.Connect.class).get(0);
    assertThat(received.gatewayId()).isEqualTo("gw-1");
    assertThat(received.connectionId()).isEqualTo("gw-1.a");
    assertThat(received.key()).isEqualTo(KEY);
    assertThat(received.request()).isEqualTo(REQUEST);
    assertThat(client.ownerId()).isEqualTo("owner-1");
    assertThat(server.gatewayCount()).isEqualTo(1);
    assertThat(listener.readyCount).hasValue(1);
  }

  @Test
  void messagesArriveInOrderAndTheirHandledFuturesComplete() throws Exception {
    events.answer = event -> ((RoomEvent.Incoming) event).handled().complete(null);
    LinkServer server = fixture.server(events);
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    List<CompletableFuture<Void>> handled = new ArrayList<>();

    for (int i = 0; i < 2000; i++) {
      CompletableFuture<Void> done = new CompletableFuture<>();
      handled.add(done);
      Message message = i % 2 == 0 ? Message.text("m" + i) : Message.binary(("m" + i).getBytes());
      assertThat(client.offer(new RoomEvent.Incoming(KEY, "gw-1", "gw-1.a", message, done)))
          .isTrue();
    }

    CompletableFuture.allOf(handled.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    assertThat(events.of(RoomEvent.Incoming.class))
        .extracting(m -> new String(m.message().bytes()))
        .containsExactlyElementsOf(IntStream.range(0, 2000).mapToObj(i -> "m" + i).toList());
    assertThat(events.of(RoomEvent.Incoming.class))
        .extracting(m -> m.message().isText())
        .containsExactlyElementsOf(IntStream.range(0, 2000).mapToObj(i -> i % 2 == 0).toList());
  }

  @Test
  void closesFencesAndFailuresAreAnswered() throws Exception {
    events.answer =
        event -> {
          if (event instanceof RoomEvent.Close close) {
            close.done().complete(null);
          } else if (event instanceof RoomEvent.Fence fence) {
            fence.passed().complete(null);
          }
        };
    LinkServer server = fixture.server(events);
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    CompletableFuture<Void> closed = new CompletableFuture<>();
    CompletableFuture<Void> passed = new CompletableFuture<>();

    client.offer(new RoomEvent.Failure(KEY, "gw-1", "gw-1.a", "invalid UTF-8"));
    client.offer(new RoomEvent.Close(KEY, "gw-1", "gw-1.a", 1006, "", false, false, closed));
    client.offer(new RoomEvent.Fence(KEY, "gw-1", passed));

    CompletableFuture.allOf(closed, passed).get(5, TimeUnit.SECONDS);
    assertThat(events.events).hasSize(3);
    assertThat(events.events.get(0))
        .isEqualTo(new RoomEvent.Failure(KEY, "gw-1", "gw-1.a", "invalid UTF-8"));
    assertThat(events.of(RoomEvent.Close.class).get(0))
        .extracting(RoomEvent.Close::code, RoomEvent.Close::wasClean)
        .containsExactly(1006, false);
  }

  @Test
  void aBroadcastIsOneSendWithEveryConnectionIdAndOnePayload() throws Exception {
    LinkServer server = fixture.server(events);
    fixture.readyClient("gw-1", server, local, listener);
    List<String> ids = IntStream.range(0, 500).mapToObj(i -> "gw-1." + i).toList();

    server.clientSink().send("gw-1", ids, OutboundMessage.text("hello, everyone"));

    await().atMost(5, TimeUnit.SECONDS).until(() -> !local.sent.isEmpty());
    Thread.sleep(100);
    assertThat(local.sent).hasSize(1);
    RecordingClients.Sent sent = local.sent.get(0);
    assertThat(sent.gatewayId()).isEqualTo("gw-1");
    assertThat(sent.connectionIds()).containsExactlyElementsOf(ids);
    assertThat(sent.message().text()).isTrue();
    assertThat(sent.message().view()).isEqualTo(ByteBuffer.wrap("hello, everyone".getBytes()));
  }

  @Test
  void commandsGoToTheGatewayHoldingTheSocketAndAutoResponsesToEveryGateway() throws Exception {
    LinkServer server = fixture.server(events);
    RecordingClients other = new RecordingClients();
    fixture.readyClient("gw-1", server, local, listener);
    fixture.readyClient("gw-2", server, other, new LinkFixture.RecordingListener());
    AutoResponsePair pair = new AutoResponsePair("ping", "pong");

    server.clientSink().close("gw-2", "gw-2.a", 4001, "kicked");
    server.clientSink().autoResponse(KEY, pair);
    server.clientSink().autoResponse(KEY, null);
    server.clientSink().send("gw-9", List.of("gw-9.a"), OutboundMessage.text("before you linked"));

    await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> local.autoResponses.size() == 2 && other.autoResponses.size() == 2);
    for (RecordingClients gateway : List.of(local, other)) {
      assertThat(gateway.autoResponses)
          .containsExactly(
              new RecordingClients.AutoResponse(KEY, pair),
              new RecordingClients.AutoResponse(KEY, null));
    }
    assertThat(other.closed)
        .containsExactly(new RecordingClients.Closed("gw-2", "gw-2.a", 4001, "kicked"));
    assertThat(local.closed).isEmpty();
    assertThat(server.gatewayCount()).isEqualTo(2);
    assertThat(server.droppedCommands()).isZero();

    // A gateway that links a moment after its room's owner sent it something still gets it.
    RecordingClients late = new RecordingClients();
    fixture.readyClient("gw-9", server, late, new LinkFixture.RecordingListener());
    await().atMost(5, TimeUnit.SECONDS).until(() -> late.sent.size() == 1);
    assertThat(late.sent.get(0).connectionIds()).containsExactly("gw-9.a");
    assertThat(server.droppedCommands()).isZero();
  }

  @Test
  void aRedirectHandsBackTheOriginalEventWithItsFutures() throws Exception {
    LinkServer server = fixture.server(events);
    events.answer =
        event ->
            server
                .clientSink()
                .redirect(
                    event,
                    event instanceof RoomEvent.Connect ? Optional.of("owner-2") : Optional.empty());
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    RoomEvent.Connect connect =
        new RoomEvent.Connect(KEY, "gw-1", "gw-1.a", REQUEST, new CompletableFuture<>());
    RoomEvent.Incoming message =
        new RoomEvent.Incoming(
            KEY, "gw-1", "gw-1.a", Message.text("hi"), new CompletableFuture<>());
    RoomEvent.Failure failure = new RoomEvent.Failure(KEY, "gw-1", "gw-1.a", "oops");

    client.offer(connect);
    client.offer(message);
    client.offer(failure);

    await().atMost(5, TimeUnit.SECONDS).until(() -> local.redirected.size() == 3);
    assertThat(local.redirected.get(0).event()).isSameAs(connect);
    assertThat(local.redirected.get(0).holder()).contains("owner-2");
    assertThat(local.redirected.get(1).event()).isSameAs(message);
    assertThat(local.redirected.get(1).holder()).isEmpty();
    assertThat(local.redirected.get(2).event()).isEqualTo(failure);
    assertThat(connect.outcome()).isNotDone();
    assertThat(message.handled()).isNotDone();
  }

  @Test
  void aMessageTheRoomCannotTakeClosesItsSenderWith1013() throws Exception {
    events.acceptMessages = false;
    LinkServer server = fixture.server(events);
    LinkClient client = fixture.readyClient("gw-1", server, local, listener);
    CompletableFuture<Void> handled = new CompletableFuture<>();

    client.offer(
        new RoomEvent.Incoming(KEY, "gw-1", "gw-1.a", Message.text("one too many"), handled));

    handled.get(5, TimeUnit.SECONDS);
    await().atMost(5, TimeUnit.SECONDS).until(() -> !local.closed.isEmpty());
    assertThat(local.closed)
        .containsExactly(
            new RecordingClients.Closed("gw-1", "gw-1.a", 1013, Refusal.OVERLOADED.reason()));
  }
}
