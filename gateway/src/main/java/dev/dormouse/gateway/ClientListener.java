package dev.dormouse.gateway;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.Message;
import dev.dormouse.store.AutoResponseTimes;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.xnio.Pooled;

/**
 * Reads one client socket on its I/O thread: answers auto-responses, forwards everything else to the
 * room in order, and turns the end of the socket into exactly one close event for the room. Never
 * blocks: room events are queued, Redis writes are asynchronous.
 */
final class ClientListener extends AbstractReceiveListener {

  private static final int TRY_AGAIN_LATER = 1013;
  private static final int INVALID_PAYLOAD = 1007;
  private static final int MESSAGE_TOO_BIG = 1009;
  /** Undertow's message id when it has itself closed a socket with 1009 for an oversized message. */
  private static final String UNDERTOW_MESSAGE_TOO_BIG = "UT002040";

  private final ClientConnection connection;
  private final ClientConnections connections;
  private final RoomEventSink events;
  private final AutoResponseTimes autoResponses;
  private final Metrics metrics;

  ClientListener(ClientConnection connection, ClientConnections connections, RoomEventSink events,
      AutoResponseTimes autoResponses, Metrics metrics) {
    this.connection = connection;
    this.connections = connections;
    this.events = events;
    this.autoResponses = autoResponses;
    this.metrics = metrics;
  }

  /** Undertow answers a message over this size with close 1009 itself. */
  @Override
  protected long getMaxTextBufferSize() {
    return connection.settings().maxMessageBytes();
  }

  @Override
  protected long getMaxBinaryBufferSize() {
    return connection.settings().maxMessageBytes();
  }

  @Override
  protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message) {
    String text = message.getData();
    Optional<OutboundMessage> answer = connections.autoResponder()
        .answerText(connection.key(), connection.settings(), text);
    if (answer.isPresent()) {
      autoAnswer(answer.get());
    } else {
      forward(Message.text(text));
    }
  }

  @Override
  protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
    byte[] bytes;
    try (Pooled<ByteBuffer[]> data = message.getData()) {
      ByteBuffer[] buffers = data.getResource();
      int size = 0;
      for (ByteBuffer buffer : buffers) {
        size += buffer.remaining();
      }
      bytes = new byte[size];
      int offset = 0;
      for (ByteBuffer buffer : buffers) {
        int n = buffer.remaining();
        buffer.get(bytes, offset, n);
        offset += n;
      }
    }
    Optional<OutboundMessage> answer = connections.autoResponder()
        .answerBinary(connection.settings(), ByteBuffer.wrap(bytes));
    if (answer.isPresent()) {
      autoAnswer(answer.get());
    } else {
      forward(Message.binary(bytes));
    }
  }

  private void autoAnswer(OutboundMessage response) {
    long now = System.currentTimeMillis();
    autoResponses.recordAnswered(connection.key(), connection.id(), now);
    metrics.autoResponse();
    connection.send(response);
  }

  private void forward(Message message) {
    if (!events.offer(new RoomEvent.Incoming(connection.key(), connections.gatewayId(), connection.id(), message,
        new CompletableFuture<>()))) {
      connection.close(ClientConnection.Initiator.GATEWAY, TRY_AGAIN_LATER,
          "Room is overloaded: more than " + connection.settings().wakeBufferMessages() + " events waiting");
    }
  }

  /** The client's close frame goes to the room, which may answer it; otherwise it is echoed. */
  @Override
  protected void onFullCloseMessage(WebSocketChannel channel, BufferedBinaryMessage message) {
    int code;
    String reason;
    try (Pooled<ByteBuffer[]> data = message.getData()) {
      ByteBuffer payload = WebSockets.mergeBuffers(data.getResource());
      if (payload.remaining() >= 2) {
        CloseMessage close = new CloseMessage(payload);
        code = close.getCode();
        reason = close.getReason();
      } else {
        code = 1005;
        reason = "";
      }
    }
    if (connection.closeInitiator() != null) {
      reportClose(true);
      return;
    }
    if (connection.markCloseReported()) {
      RoomEvent.Close close = new RoomEvent.Close(connection.key(), connections.gatewayId(), connection.id(), code,
          reason, true, false, new CompletableFuture<>());
      close.done().whenComplete((ignored, error) -> connection.close(ClientConnection.Initiator.PEER, code, reason));
      events.offer(close);
    }
  }

  @Override
  protected void onError(WebSocketChannel channel, Throwable error) {
    String description = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    metrics.error("protocol");
    events.offer(new RoomEvent.Failure(connection.key(), connections.gatewayId(), connection.id(), description));
    if (error instanceof UnsupportedEncodingException) {
      connection.close(ClientConnection.Initiator.GATEWAY, INVALID_PAYLOAD, "Invalid UTF-8 in text message");
    } else if (description.startsWith(UNDERTOW_MESSAGE_TOO_BIG)) {
      connection.alreadyClosed(ClientConnection.Initiator.GATEWAY, MESSAGE_TOO_BIG,
          "Message larger than " + connection.settings().maxMessageBytes() + " bytes");
    }
    super.onError(channel, error);
  }

  /** The socket is closed, cleanly or not: make sure the room hears of it once. */
  void channelClosed(WebSocketChannel channel) {
    reportClose(channel.isCloseFrameReceived());
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
      events.offer(ClientConnections.lost(connection, connections.gatewayId()));
    } else {
      events.offer(new RoomEvent.Close(connection.key(), connections.gatewayId(), connection.id(),
          connection.closeCode(), connection.closeReason(), clean, initiator == ClientConnection.Initiator.ROOM,
          new CompletableFuture<>()));
    }
  }
}
