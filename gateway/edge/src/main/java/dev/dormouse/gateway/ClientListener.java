package dev.dormouse.gateway;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.CloseCodes;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.Message;
import dev.dormouse.store.AutoResponseTimes;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads one client socket on its I/O thread: answers pings and auto-responses, forwards everything
 * else to the room in order, enforces the connection's rate limits, and turns the end of the socket
 * into exactly one close event for the room. Never blocks: room events are queued, Redis writes are
 * asynchronous.
 */
final class ClientListener implements ClientSocket.Handler {

  private final ClientConnection connection;
  private final ClientConnections connections;
  private final RoomEventSink events;
  private final AutoResponseTimes autoResponses;
  private final Metrics metrics;
  private final RateLimit rateLimit;
  private final InflightWindow inflight =
      new InflightWindow(InflightWindow.MAX_MESSAGES, InflightWindow.MAX_BYTES);

  ClientListener(
      ClientConnection connection,
      ClientConnections connections,
      RoomEventSink events,
      AutoResponseTimes autoResponses,
      Metrics metrics) {
    this.connection = connection;
    this.connections = connections;
    this.events = events;
    this.autoResponses = autoResponses;
    this.metrics = metrics;
    this.rateLimit = new RateLimit(connection.settings(), System::nanoTime);
  }

  @Override
  public void text(String text, int size) {
    if (!admitted(size)) {
      return;
    }
    Optional<OutboundMessage> answer =
        connections.autoResponder().answerText(connection.key(), connection.settings(), text);
    if (answer.isPresent()) {
      autoAnswer(answer.get());
    } else {
      forward(Message.text(text), size);
    }
  }

  @Override
  public void binary(byte[] payload) {
    if (!admitted(payload.length)) {
      return;
    }
    Optional<OutboundMessage> answer =
        connections.autoResponder().answerBinary(connection.settings(), ByteBuffer.wrap(payload));
    if (answer.isPresent()) {
      autoAnswer(answer.get());
    } else {
      forward(Message.binary(payload), payload.length);
    }
  }

  @Override
  public void ping(byte[] payload) {
    if (admitted(payload.length)) {
      connection.pong(payload);
    }
  }

  @Override
  public void pong(byte[] payload) {
    // Unsolicited pongs are allowed and mean nothing (RFC 6455 §5.5.3), but cost as much to read as
    // pings.
    admitted(payload.length);
  }

  /**
   * Messages that arrive after the gateway or the room started closing are dropped, as the room
   * already counts the socket as closing; past a rate limit the connection is closed with 1008.
   */
  private boolean admitted(int size) {
    if (connection.closeInitiator() != null) {
      return false;
    }
    Optional<String> over = rateLimit.take(size);
    if (over.isPresent()) {
      metrics.error("rate-limit");
      connection.close(ClientConnection.Initiator.GATEWAY, CloseCodes.POLICY_VIOLATION, over.get());
      return false;
    }
    return true;
  }

  private void autoAnswer(OutboundMessage response) {
    long now = System.currentTimeMillis();
    autoResponses.recordAnswered(connection.key(), connection.id(), now);
    metrics.autoResponse();
    connection.send(response);
  }

  private void forward(Message message, int size) {
    CompletableFuture<Void> handled = new CompletableFuture<>();
    if (!events.offer(
        new RoomEvent.Incoming(
            connection.key(), connections.gatewayId(), connection.id(), message, handled))) {
      connection.close(ClientConnection.Initiator.GATEWAY, Refusal.OVERLOADED);
      return;
    }
    if (inflight.forwarded(size)) {
      metrics.readsSuspended();
      connection.suspendReads();
    }
    handled.whenComplete(
        (ignored, error) -> {
          if (inflight.handled(size)) {
            connection.resumeReads();
          }
        });
  }

  /** The client's close frame goes to the room, which may answer it; otherwise it is echoed. */
  @Override
  public void close(int code, String reason) {
    if (connection.closeInitiator() != null) {
      reportClose(true);
      return;
    }
    if (connection.markCloseReported()) {
      RoomEvent.Close close =
          new RoomEvent.Close(
              connection.key(),
              connections.gatewayId(),
              connection.id(),
              code,
              reason,
              true,
              false,
              new CompletableFuture<>());
      close
          .done()
          .whenComplete((ignored, error) -> connections.echoClose(connection.id(), code, reason));
      events.offer(close);
    }
  }

  @Override
  public void violation(ClientFrameParser.Violation violation) {
    metrics.error("protocol");
    events.offer(
        new RoomEvent.Failure(
            connection.key(), connections.gatewayId(), connection.id(), violation.reason()));
    connection.close(ClientConnection.Initiator.GATEWAY, violation.code(), violation.reason());
  }

  /** The socket is closed, cleanly or not: make sure the room hears of it once. */
  @Override
  public void closed(boolean closeFrameReceived) {
    reportClose(closeFrameReceived);
    connections.remove(connection);
  }

  /**
   * @param clean whether the closing handshake completed (both close frames exchanged)
   */
  private void reportClose(boolean clean) {
    if (!connection.markCloseReported()) {
      return;
    }
    ClientConnection.Initiator initiator = connection.closeInitiator();
    if (initiator == null) {
      events.offer(
          connections.tracked(ClientConnections.lost(connection, connections.gatewayId())));
    } else {
      events.offer(
          connections.tracked(
              new RoomEvent.Close(
                  connection.key(),
                  connections.gatewayId(),
                  connection.id(),
                  connection.closeCode(),
                  connection.closeReason(),
                  clean,
                  initiator == ClientConnection.Initiator.ROOM,
                  new CompletableFuture<>())));
    }
  }
}
