package dev.dormouse.link.wire;

import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's end of one gateway's link: checks the gateway's proof, then turns its frames into room
 * events whose futures answer back on this link. Runs on the channel's event loop; the room event sink
 * never blocks, and answers may come from any thread.
 */
final class GatewaySession extends SimpleChannelInboundHandler<ByteBuf> {

  private static final Logger log = LoggerFactory.getLogger(GatewaySession.class);

  static final String ANSWER_TOO_LARGE = "Room answer too large";
  static final String CALL_TOO_LARGE = "Call too large for the gateway link";
  static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private final String ownerId;
  private final LinkHandshake handshake;
  private final RoomEventSink events;
  private final GatewaySessions sessions;
  private Channel channel;
  private FrameWriter writer;
  private HandledBatch handled;
  private byte[] nonce;
  private ScheduledFuture<?> handshakeTimeout;
  private boolean refused;
  private final PendingCalls calls = new PendingCalls();

  /** Set once the gateway proved the secret. */
  private volatile String gatewayId;

  /** The gateway answered this owner's DRAINING: it routes nothing here and waits for nothing from here. */
  private volatile boolean released;

  GatewaySession(
      String ownerId, LinkHandshake handshake, RoomEventSink events, GatewaySessions sessions) {
    this.ownerId = ownerId;
    this.handshake = handshake;
    this.events = events;
    this.sessions = sessions;
  }

  String gatewayId() {
    return gatewayId;
  }

  boolean released() {
    return released;
  }

  /** Any thread; dropped when the link is gone. */
  void write(Frame frame) {
    writer.write(frame);
  }

  /** Any thread: a room of this owner calls {@code target} through this gateway. */
  CompletableFuture<RoomResponse> call(RoomKey target, RoomRequest request) {
    CompletableFuture<RoomResponse> answer = new CompletableFuture<>();
    long id = calls.add(answer);
    if (id != 0) {
      try {
        writer.write(new Frame.Call(id, target, request));
      } catch (IllegalArgumentException tooLarge) {
        // Never sent: answered here, so neither the id nor the caller's wait is left over.
        log.warn("a call to {} is too large for the link: {}", target, tooLarge.getMessage());
        calls.answer(id, RoomResponse.text(HttpStatus.PAYLOAD_TOO_LARGE, CALL_TOO_LARGE));
      }
    }
    return answer;
  }

  void close(String why) {
    log.info("closing the link of gateway {}: {}", gatewayId, why);
    channel.close();
  }

  /**
   * Closes once every frame queued before this call is written: a room's last broadcast to this
   * gateway goes out, where a plain close would drop what is still queued on the loop.
   */
  ChannelFuture closeWhenWritten() {
    writer.closeAfterQueued();
    return channel.closeFuture();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    writer = new FrameWriter(channel);
    handled = new HandledBatch(writer, channel.eventLoop());
    nonce = LinkHandshake.nonce();
    writer.write(new Frame.Challenge(LinkHandshake.VERSION, nonce));
    handshakeTimeout =
        ctx.executor()
            .schedule(
                () -> refuse("no HELLO within " + HANDSHAKE_TIMEOUT_MILLIS + " ms"),
                HANDSHAKE_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf bytes) {
    if (refused) {
      return;
    }
    Frame frame = FrameCodec.decode(bytes);
    if (gatewayId == null) {
      hello(frame);
    } else if (frame instanceof Frame.Event event) {
      deliver(event);
    } else if (frame instanceof Frame.CallResult f) {
      calls.answer(f.id(), f.response());
    } else if (frame instanceof Frame.Released) {
      released = true;
      log.info("gateway {} released this draining owner", gatewayId);
    } else if (!(frame instanceof Frame.Ping)) {
      throw new FrameFormatException("a gateway may not send " + frame.getClass().getSimpleName());
    }
  }

  private void hello(Frame frame) {
    if (!(frame instanceof Frame.Hello hello)) {
      refuse("sent " + frame.getClass().getSimpleName() + " instead of HELLO");
    } else if (hello.version() != LinkHandshake.VERSION) {
      refuse("speaks link version " + hello.version() + ", this owner " + LinkHandshake.VERSION);
    } else if (hello.gatewayId().isEmpty()
        || hello.nonce().length != LinkHandshake.NONCE_BYTES
        || !LinkHandshake.matches(
            handshake.gatewayProof(nonce, hello.nonce(), hello.gatewayId()), hello.proof())) {
      refuse("wrong proof of the link secret for gateway id '" + hello.gatewayId() + "'");
    } else {
      handshakeTimeout.cancel(false);
      gatewayId = hello.gatewayId();
      LinkPipeline.authenticated(channel);
      // WELCOME first: commands that waited for this gateway follow it once it is registered.
      writer.write(new Frame.Welcome(ownerId, handshake.ownerProof(nonce, hello.nonce(), ownerId)));
      sessions.register(this);
      log.info("gateway {} linked from {}", gatewayId, channel.remoteAddress());
    }
  }

  private void deliver(Frame.Event frame) {
    if (frame instanceof Frame.Connect f) {
      LinkFuture<ConnectOutcome> outcome = new LinkFuture<>(this, f.id());
      outcome.whenComplete(
          (result, error) ->
              writer.write(new Frame.ConnectResult(f.id(), answer(f, result, error))));
      events.offer(
          new RoomEvent.Connect(f.key(), gatewayId, f.connectionId(), f.request(), outcome));
    } else if (frame instanceof Frame.Incoming f) {
      LinkFuture<Void> done = new LinkFuture<>(this, f.id());
      done.whenComplete((ignored, error) -> handled.add(f.id()));
      RoomEvent.Incoming incoming =
          new RoomEvent.Incoming(f.key(), gatewayId, f.connectionId(), f.message(), done);
      if (!events.offer(incoming)) {
        // As the gateway does when its own queue is full: the sender learns, and the message counts
        // as dropped.
        incoming.refuse(
            Refusal.OVERLOADED,
            (gateway, connection, code, reason) ->
                writer.write(new Frame.ClientClose(connection, code, reason)));
      }
    } else if (frame instanceof Frame.Failure f) {
      events.offer(new RoomEvent.Failure(f.key(), gatewayId, f.connectionId(), f.description()));
    } else if (frame instanceof Frame.Alarm f) {
      events.offer(new RoomEvent.Alarm(f.key(), gatewayId));
    } else if (frame instanceof Frame.Close f) {
      LinkFuture<Void> done = new LinkFuture<>(this, f.id());
      done.whenComplete((ignored, error) -> writer.write(new Frame.CloseDone(f.id())));
      events.offer(
          new RoomEvent.Close(
              f.key(),
              gatewayId,
              f.connectionId(),
              f.code(),
              f.reason(),
              f.wasClean(),
              f.roomInitiated(),
              done));
    } else if (frame instanceof Frame.Fence f) {
      LinkFuture<Void> passed = new LinkFuture<>(this, f.id());
      passed.whenComplete((ignored, error) -> writer.write(new Frame.FenceDone(f.id())));
      events.offer(new RoomEvent.Fence(f.key(), gatewayId, passed));
    } else if (frame instanceof Frame.Command f) {
      LinkFuture<Optional<Refusal>> done = new LinkFuture<>(this, f.id());
      done.whenComplete(
          (refusal, error) ->
              writer.write(
                  new Frame.CommandDone(
                      f.id(), error == null ? refusal : Optional.of(Refusal.UNAVAILABLE))));
      RoomEvent.Command command = new RoomEvent.Command(f.key(), gatewayId, f.action(), done);
      if (!events.offer(command)) {
        command.refuse(Refusal.OVERLOADED, (gateway, connection, code, reason) -> {});
      }
    } else if (frame instanceof Frame.Request f) {
      LinkFuture<RoomResponse> response = new LinkFuture<>(this, f.id());
      response.whenComplete((result, error) -> respond(f, answer(f, result, error)));
      RoomEvent.Request request = new RoomEvent.Request(f.key(), gatewayId, f.request(), response);
      if (!events.offer(request)) {
        request.refuse(Refusal.OVERLOADED, (gateway, connection, code, reason) -> {});
      }
    }
  }

  /**
   * An answer the link cannot carry is answered 502 instead: unsent, the gateway would wait for it
   * until its own timeout and tell the client 504.
   */
  private void respond(Frame.Request request, RoomResponse response) {
    try {
      writer.write(new Frame.Response(request.id(), response));
    } catch (IllegalArgumentException tooLarge) {
      log.warn(
          "the answer of {} to {} {} is too large for the link: {}",
          request.key(),
          request.request().method(),
          request.request().path(),
          tooLarge.getMessage());
      writer.write(
          new Frame.Response(
              request.id(), RoomResponse.text(HttpStatus.BAD_GATEWAY, ANSWER_TOO_LARGE)));
    }
  }

  private static RoomResponse answer(
      Frame.Request request, RoomResponse response, Throwable error) {
    if (error == null) {
      return response;
    }
    log.error("request {} {} to {} failed", request.request().method(), request.key(), error);
    return RoomEvent.Request.refusal(Refusal.UNAVAILABLE);
  }

  private static ConnectOutcome answer(
      Frame.Connect connect, ConnectOutcome outcome, Throwable error) {
    if (error == null) {
      return outcome;
    }
    log.error("connect {} to {} failed", connect.connectionId(), connect.key(), error);
    return ConnectOutcome.refused(Refusal.UNAVAILABLE);
  }

  private void refuse(String why) {
    if (refused || !channel.isActive()) {
      return;
    }
    refused = true;
    log.warn("refused link peer {}: {}", channel.remoteAddress(), why);
    sessions.refused();
    channel.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (handshakeTimeout != null) {
      handshakeTimeout.cancel(false);
    }
    calls.lose();
    if (gatewayId != null) {
      sessions.unregister(this);
      log.info("gateway {} unlinked", gatewayId);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (gatewayId == null) {
      refuse(String.valueOf(cause.getMessage()));
    } else if (cause instanceof IOException) {
      log.info("link of gateway {} broke: {}", gatewayId, cause.toString());
      ctx.close();
    } else {
      log.warn("closing the link of gateway {}: {}", gatewayId, cause.toString());
      ctx.close();
    }
  }
}
