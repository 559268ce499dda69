package dev.dormouse.link.wire;

import io.netty.channel.EventLoop;
import java.util.Arrays;

/**
 * Acknowledges handled messages to a gateway in batches: ids that complete while the event loop is busy
 * leave together in one HANDLED frame at its next turn, instead of one frame each.
 */
final class HandledBatch {

  private final FrameWriter writer;
  private final EventLoop loop;

  /** Only touched on the event loop. */
  private long[] ids = new long[64];

  private int size;

  HandledBatch(FrameWriter writer, EventLoop loop) {
    this.writer = writer;
    this.loop = loop;
  }

  /** Any thread. */
  void add(long id) {
    if (loop.inEventLoop()) {
      addNow(id);
    } else {
      loop.execute(() -> addNow(id));
    }
  }

  private void addNow(long id) {
    if (size == 0) {
      loop.execute(this::flush);
    }
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
    }
    ids[size++] = id;
  }

  private void flush() {
    writer.write(new Frame.Handled(Arrays.copyOf(ids, size)));
    size = 0;
  }
}
