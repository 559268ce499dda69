package dev.dormouse.link.wire;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;

/** The handlers of a link channel, the same on both ends: frames in, the session, and after the handshake a heartbeat. */
final class LinkPipeline {

  private LinkPipeline() {}

  static void init(Channel channel, ChannelHandler session) {
    channel.pipeline().addLast(new FrameDecoder(), session);
  }

  /** The peer proved the secret: full-size frames, and liveness checks from now on. Call on the event loop. */
  static void authenticated(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.get(FrameDecoder.class).authenticated();
    pipeline.addAfter(pipeline.context(FrameDecoder.class).name(), null, new Heartbeat());
  }
}
