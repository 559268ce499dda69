package dev.dormouse.link.wire;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.nio.ByteOrder;

/**
 * Cuts the byte stream into frames (type byte and fields, length prefix stripped). Until the peer has
 * proven the secret, frames are limited to a few KiB: an unauthenticated peer cannot make us buffer
 * 64 MiB, and a peer speaking another protocol (HTTP, TLS) fails on its first bytes.
 */
final class FrameDecoder extends LengthFieldBasedFrameDecoder {

  static final int HANDSHAKE_LIMIT = 4096;

  private int limit = HANDSHAKE_LIMIT;

  FrameDecoder() {
    super(FrameCodec.MAX_FRAME, 0, FrameCodec.LENGTH_BYTES, 0, FrameCodec.LENGTH_BYTES);
  }

  /** The peer is authenticated: frames up to the link's limit. Called on the channel's event loop. */
  void authenticated() {
    limit = FrameCodec.MAX_FRAME;
  }

  @Override
  protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
    long frameLength = super.getUnadjustedFrameLength(buf, offset, length, order);
    if (frameLength < 0 || frameLength > limit) {
      throw new TooLongFrameException(
          "frame of "
              + Integer.toUnsignedString((int) frameLength)
              + " bytes announced, the limit is "
              + limit
              + (limit == HANDSHAKE_LIMIT ? " before authentication" : ""));
    }
    return frameLength;
  }
}
