package dev.dormouse.link.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an authenticated link provably alive: a PING when we have sent nothing for a while, and the
 * link closed when the peer has sent nothing for much longer. A pod that vanished (node lost, network
 * cut) sends no FIN; without this the link would look up for the TCP retransmission timeout, minutes.
 */
final class Heartbeat extends IdleStateHandler {

  private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
  static final long PING_AFTER_MILLIS = 2_000;

  /**
   * Four pings missed: long enough that a busy or collecting peer is not taken for dead, short enough
   * that an unreachable owner soon leaves the ring (routing waits only a grace more).
   */
  static final long SILENCE_LIMIT_MILLIS = 8_000;

  Heartbeat() {
    super(SILENCE_LIMIT_MILLIS, PING_AFTER_MILLIS, 0, TimeUnit.MILLISECONDS);
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
    if (event.state() == IdleState.WRITER_IDLE) {
      ctx.writeAndFlush(FrameCodec.encode(new Frame.Ping(), ctx.alloc()));
    } else if (event.state() == IdleState.READER_IDLE) {
      log.warn(
          "link peer {} silent for {} ms: closing the link",
          ctx.channel().remoteAddress(),
          SILENCE_LIMIT_MILLIS);
      ctx.close();
    }
  }
}
