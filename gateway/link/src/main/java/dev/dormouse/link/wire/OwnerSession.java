package dev.dormouse.link.wire;

import dev.dormouse.link.ClientSink;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's end of one connection to an owner: proves the secret and checks the owner's proof,
 * then sends events and applies the owner's answers and commands. Frames are handled on the channel's
 * event loop; the futures completed there and the local client sink never block.
 */
final class OwnerSession extends SimpleChannelInboundHandler<ByteBuf> {

  private static final Logger log = LoggerFactory.getLogger(OwnerSession.class);

  private final LinkClient link;
  private final String gatewayId;
  private final LinkHandshake handshake;
  private final ClientSink local;
  private final AtomicLong ids;
  private final PendingEvents pending = new PendingEvents();
  private Channel channel;
  private FrameWriter writer;
  private ScheduledFuture<?> handshakeTimeout;
  private byte[] ownerNonce;
  private byte[] nonce;

  /** Only touched on the event loop. */
  private boolean ready;

  private boolean welcomed;
  private boolean failed;

  /** The owner said it is draining; RELEASED goes once nothing waits for its answer. */
  private boolean releasing;

  private boolean released;

  /** The owner said PAUSED, and not SERVING since. */
  private boolean paused;

  /** @param ids the link's event ids: unique across its connections, so a late answer never hits a newer event */
  OwnerSession(
      LinkClient link,
      String gatewayId,
      LinkHandshake handshake,
      ClientSink local,
      AtomicLong ids) {
    this.link = link;
    this.gatewayId = gatewayId;
    this.handshake = handshake;
    this.local = local;
    this.ids = ids;
  }

  /**
   * Any thread; only once this session was reported ready.
   *
   * @return false when the link was lost meanwhile: the event was not sent
   */
  boolean send(RoomEvent event) {
    // A failure or an alarm waits for no answer, so it needs no id.
    long id =
        event instanceof RoomEvent.Failure || event instanceof RoomEvent.Alarm
            ? 0
            : ids.incrementAndGet();
    ByteBuf bytes = FrameCodec.encode(Frame.Event.of(event, id), channel.alloc());
    if (id != 0 && !pending.add(id, event)) {
      bytes.release();
      return false;
    }
    writer.write(bytes);
    return true;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    writer = new FrameWriter(channel);
    handshakeTimeout =
        ctx.executor()
            .schedule(
                () -> fail("no WELCOME within " + GatewaySession.HANDSHAKE_TIMEOUT_MILLIS + " ms"),
                GatewaySession.HANDSHAKE_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf bytes) {
    if (!channel.isActive()) {
      return;
    }
    Frame frame = FrameCodec.decode(bytes);
    if (ready) {
      receive(frame);
    } else if (ownerNonce == null) {
      challenged(frame);
    } else {
      welcomed(frame);
    }
  }

  private void challenged(Frame frame) {
    if (!(frame instanceof Frame.Challenge challenge)) {
      fail("sent " + frame.getClass().getSimpleName() + " instead of CHALLENGE");
    } else if (challenge.version() != LinkHandshake.VERSION) {
      fail(
          "speaks link version " + challenge.version() + ", this gateway " + LinkHandshake.VERSION);
    } else if (challenge.nonce().length != LinkHandshake.NONCE_BYTES) {
      fail("sent a nonce of " + challenge.nonce().length + " bytes");
    } else {
      ownerNonce = challenge.nonce();
      nonce = LinkHandshake.nonce();
      writer.write(
          new Frame.Hello(
              LinkHandshake.VERSION,
              gatewayId,
              nonce,
              handshake.gatewayProof(ownerNonce, nonce, gatewayId)));
    }
  }

  private void welcomed(Frame frame) {
    if (!(frame instanceof Frame.Welcome welcome)) {
      fail("sent " + frame.getClass().getSimpleName() + " instead of WELCOME");
    } else if (!LinkHandshake.matches(
        handshake.ownerProof(ownerNonce, nonce, welcome.ownerId()), welcome.proof())) {
      fail("wrong proof of the link secret from owner '" + welcome.ownerId() + "'");
    } else {
      handshakeTimeout.cancel(false);
      LinkPipeline.authenticated(channel);
      ready = true;
      welcomed = true;
      link.ready(this, welcome.ownerId());
    }
  }

  private void receive(Frame frame) {
    if (frame instanceof Frame.ConnectResult f) {
      RoomEvent.Connect connect = pending.take(f.id(), RoomEvent.Connect.class);
      if (connect != null) {
        connect.outcome().complete(f.outcome());
      }
    } else if (frame instanceof Frame.Handled f) {
      for (long id : f.ids()) {
        RoomEvent.Incoming incoming = pending.take(id, RoomEvent.Incoming.class);
        if (incoming != null) {
          incoming.handled().complete(null);
        }
      }
    } else if (frame instanceof Frame.CloseDone f) {
      RoomEvent.Close close = pending.take(f.id(), RoomEvent.Close.class);
      if (close != null) {
        close.done().complete(null);
      }
    } else if (frame instanceof Frame.FenceDone f) {
      RoomEvent.Fence fence = pending.take(f.id(), RoomEvent.Fence.class);
      if (fence != null) {
        fence.passed().complete(null);
      }
    } else if (frame instanceof Frame.CommandDone f) {
      RoomEvent.Command command = pending.take(f.id(), RoomEvent.Command.class);
      if (command != null) {
        command.done().complete(f.refusal());
      }
    } else if (frame instanceof Frame.Response f) {
      RoomEvent.Request request = pending.take(f.id(), RoomEvent.Request.class);
      if (request != null) {
        request.response().complete(f.response());
      }
    } else if (frame instanceof Frame.Call f) {
      local
          .call(f.target(), f.request())
          .whenComplete(
              (response, error) ->
                  writer.write(
                      new Frame.CallResult(
                          f.id(),
                          error == null
                              ? response
                              : RoomEvent.Request.refusal(Refusal.UNAVAILABLE))));
    } else if (frame instanceof Frame.Send f) {
      local.send(gatewayId, f.connectionIds(), f.message());
    } else if (frame instanceof Frame.ClientClose f) {
      local.close(gatewayId, f.connectionId(), f.code(), f.reason());
    } else if (frame instanceof Frame.Auto f) {
      local.autoResponse(f.key(), f.pair().orElse(null));
    } else if (frame instanceof Frame.Redirect f) {
      RoomEvent original = original(f.event());
      if (original != null) {
        local.redirect(original, f.holder());
      }
    } else if (frame instanceof Frame.Draining) {
      if (!releasing) {
        releasing = true;
        // Synchronous: by its return nothing routes here any more and every fence is queued on this
        // link.
        link.draining(this);
      }
    } else if (frame instanceof Frame.Paused) {
      if (!paused) {
        paused = true;
        // Synchronous, as for DRAINING: by its return every fence is queued on this link.
        link.paused(this);
      }
    } else if (frame instanceof Frame.Serving) {
      if (paused) {
        paused = false;
        link.serving(this);
      }
    } else if (!(frame instanceof Frame.Ping)) {
      throw new FrameFormatException("an owner may not send " + frame.getClass().getSimpleName());
    }
    releaseOnceAnswered();
  }

  /** A draining owner may exit once this gateway holds every answer it waits for: tell it when that is. */
  private void releaseOnceAnswered() {
    if (releasing && !released && pending.isEmpty()) {
      released = true;
      writer.write(new Frame.Released());
    }
  }

  /**
   * The event object the caller sent, with the futures it waits on; a failure or an alarm is rebuilt,
   * nothing waits on it.
   */
  private RoomEvent original(Frame.Event frame) {
    if (frame instanceof Frame.Failure f) {
      return new RoomEvent.Failure(f.key(), gatewayId, f.connectionId(), f.description());
    }
    if (frame instanceof Frame.Alarm a) {
      return new RoomEvent.Alarm(a.key(), gatewayId);
    }
    return pending.take(frame.id(), RoomEvent.class);
  }

  /**
   * The link is gone (or being closed): answers every pending event so that no caller waits forever,
   * and reports the unhandled messages, whose senders the listener closes. Runs once, on the event loop.
   */
  void lose() {
    if (!ready) {
      return;
    }
    ready = false;
    List<RoomEvent.Incoming> unhandled = new ArrayList<>();
    for (RoomEvent event : pending.drain()) {
      if (event instanceof RoomEvent.Incoming m) {
        unhandled.add(m);
      } else {
        event.refuse(Refusal.LINK_LOST, local);
      }
    }
    link.lost(this, unhandled);
  }

  private void fail(String why) {
    if (channel.isActive()) {
      failed = true;
      log.warn("link to owner {} refused: {}", channel.remoteAddress(), why);
      channel.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (handshakeTimeout != null) {
      handshakeTimeout.cancel(false);
    }
    if (ownerNonce != null && !welcomed && !failed) {
      log.warn(
          "owner {} closed the link after our HELLO: does it have the same link secret?",
          channel.remoteAddress());
    }
    lose();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.info("link to owner {} broke: {}", channel.remoteAddress(), cause.toString());
    } else {
      log.warn("closing the link to owner {}: {}", channel.remoteAddress(), cause.toString());
    }
    ctx.close();
  }
}
