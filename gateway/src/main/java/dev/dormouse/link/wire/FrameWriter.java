package dev.dormouse.link.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;

/**
 * Writes frames to one channel from any thread. Frames are encoded on the caller's thread, written in
 * call order, and flushed once per burst: a write schedules a flush only when none is pending, so many
 * frames written together leave in one system call rather than one each.
 */
final class FrameWriter {

  private final Channel channel;
  private final EventLoop loop;
  /** Only touched on the event loop. */
  private boolean flushScheduled;

  FrameWriter(Channel channel) {
    this.channel = channel;
    this.loop = channel.eventLoop();
  }

  /**
   * Queues a frame; on a closed channel it is dropped.
   *
   * @throws IllegalArgumentException when the frame is larger than the link allows
   */
  void write(Frame frame) {
    write(FrameCodec.encode(frame, channel.alloc()));
  }

  /**
   * Queues a frame already encoded with {@link FrameCodec#encode}; takes over the buffer. Always
   * through the loop's task queue, even on the loop itself: a frame written directly from the loop
   * would overtake frames other threads queued before it (a fence overtaking the messages it fences,
   * a HANDLED overtaking the SEND its room did while handling).
   */
  void write(ByteBuf bytes) {
    loop.execute(() -> writeNow(bytes));
  }

  /** Closes the channel once every frame written before this call has gone out (or the write failed). */
  void closeAfterQueued() {
    // Queued like a frame, so it runs after the writes queued before it; the empty write completes after theirs.
    loop.execute(() -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
  }

  private void writeNow(ByteBuf bytes) {
    // A plain promise: a write racing with a close just fails, where a void promise would raise an error.
    channel.write(bytes);
    if (!flushScheduled) {
      flushScheduled = true;
      // Runs after every write already queued on the loop, so they all go out in this flush.
      loop.execute(this::flush);
    }
  }

  private void flush() {
    flushScheduled = false;
    channel.flush();
  }
}
