package dev.dormouse.link.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes frames to one channel from any thread. Frames are encoded on the caller's thread, written in
 * call order, and flushed once per burst: a write schedules a flush only when none is pending, so many
 * frames written together leave in one system call rather than one each.
 *
 * <p>What waits to be written is bounded: a peer that reads slower than this side writes for long
 * enough to leave more than {@link #MAX_PENDING_BYTES} unwritten gets its link closed, as the gateway closes a
 * client that reads too slowly. Its events then end as on any lost link (senders told with 1013),
 * where unbounded buffering would take the whole process's memory, and every room's with it.
 */
final class FrameWriter {

  private static final Logger log = LoggerFactory.getLogger(FrameWriter.class);

  /** Two of the largest frames: far above what a healthy peer lets pile up (it reads at link speed). */
  static final long MAX_PENDING_BYTES = 2L * FrameCodec.MAX_FRAME;

  private final Channel channel;
  private final EventLoop loop;
  private final long maxPendingBytes;
  private final AtomicLong pendingBytes = new AtomicLong();
  private final AtomicBoolean overflowed = new AtomicBoolean();

  /** Only touched on the event loop. */
  private boolean flushScheduled;

  FrameWriter(Channel channel) {
    this(channel, MAX_PENDING_BYTES);
  }

  FrameWriter(Channel channel, long maxPendingBytes) {
    this.channel = channel;
    this.loop = channel.eventLoop();
    this.maxPendingBytes = maxPendingBytes;
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
    int size = bytes.readableBytes();
    long pending = pendingBytes.addAndGet(size);
    if (pending > maxPendingBytes && pending > size) {
      pendingBytes.addAndGet(-size);
      bytes.release();
      overflow();
      return;
    }
    loop.execute(() -> writeNow(bytes, size));
  }

  /** Bytes queued on this link and not yet handed to the socket. */
  long pendingBytes() {
    return pendingBytes.get();
  }

  private void overflow() {
    if (overflowed.compareAndSet(false, true)) {
      log.warn(
          "closing the link to {}: it left more than {} bytes unread",
          channel.remoteAddress(),
          maxPendingBytes);
      channel.close();
    }
  }

  /** Closes the channel once every frame written before this call has gone out (or the write failed). */
  void closeAfterQueued() {
    // Queued like a frame, so it runs after the writes queued before it; the empty write completes
    // after theirs.
    loop.execute(
        () ->
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE));
  }

  private void writeNow(ByteBuf bytes, int size) {
    // A plain promise: a write racing with a close just fails, where a void promise would raise an
    // error.
    channel.write(bytes).addListener(written -> pendingBytes.addAndGet(-size));
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
