package dev.dormouse.gateway;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;
import org.xnio.XnioIoThread;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * One upgraded client connection, framed as RFC 6455 on Undertow's raw connection. Everything that
 * touches the channel runs on its XNIO I/O thread; other threads queue frames and hand over. Reads
 * go through a {@link ClientFrameParser}; writes through a queue bounded in bytes. The closing
 * handshake never waits forever: once this side has sent its close (or failed the connection), the
 * peer has {@code closeTimeout} to answer or go, then the TCP connection is closed regardless.
 */
final class ClientSocket {

  private static final Logger log = LoggerFactory.getLogger(ClientSocket.class);

  /** Reads per readiness event, so one busy client cannot hold its I/O thread from the others. */
  private static final int READS_PER_EVENT = 16;

  /** Frames per gathering write: two buffers each, well under the kernel's IOV_MAX of 1024. */
  private static final int MAX_GATHERED_FRAMES = 64;

  /** Payload bytes past which a gathering write takes no further frame. */
  private static final long MAX_GATHERED_BYTES = 64 * 1024;

  /** What happened on the socket, on its I/O thread. */
  interface Handler extends ClientFrameParser.Sink {
    /** The client broke the protocol; answer with a close carrying the violation's code. */
    void violation(ClientFrameParser.Violation violation);

    /** The TCP connection is gone, exactly once whatever ended it. */
    void closed(boolean closeFrameReceived);
  }

  private final StreamConnection connection;
  private final XnioIoThread ioThread;
  private final ConduitStreamSourceChannel source;
  private final ConduitStreamSinkChannel sink;
  private final ByteBufferPool buffers;
  private final ClientFrameParser parser;
  private final long outboundLimitBytes;
  private final Duration closeTimeout;
  private final Queue<Outgoing> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicBoolean closeQueued = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ClientFrameParser.Sink frames = new Frames();
  private volatile Handler handler;
  // The rest is confined to the I/O thread.
  private Outgoing writing;
  private boolean closeFrameReceived;
  private boolean closeFrameSent;

  /** The close frame has been taken from the queue to be written: later frames are dropped. */
  private boolean closeWritten;

  /** The connection failed: after the close frame, half-close and discard until the peer goes. */
  private boolean failed;

  private boolean suspendedByCaller;
  private XnioExecutor.Key closeTimer;

  /** A frame waiting to be written (or several, gathered), and the bytes it holds of the queue's limit. */
  private record Outgoing(ByteBuffer[] frame, long counted, boolean close) {}

  ClientSocket(
      StreamConnection connection,
      ByteBufferPool buffers,
      int maxMessageBytes,
      long outboundLimitBytes,
      Duration closeTimeout) {
    this.connection = connection;
    this.ioThread = connection.getIoThread();
    this.source = connection.getSourceChannel();
    this.sink = connection.getSinkChannel();
    this.buffers = buffers;
    this.parser = new ClientFrameParser(maxMessageBytes);
    this.outboundLimitBytes = outboundLimitBytes;
    this.closeTimeout = closeTimeout;
  }

  /** Starts reading; call on the I/O thread that completed the upgrade. */
  void start(Handler events) {
    this.handler = events;
    connection.setCloseListener(c -> closed());
    source.setReadListener(c -> guarded(this::readable));
    sink.setWriteListener(c -> guarded(this::flush));
    if (!suspendedByCaller) {
      source.resumeReads();
    }
    flush();
  }

  /**
   * Queues a data frame.
   *
   * @return false when the frame would take the queue past its limit: the client reads too slowly
   */
  boolean send(int opcode, ByteBuffer payload) {
    if (closeQueued.get()) {
      return true;
    }
    int size = payload.remaining();
    if (queuedBytes.addAndGet(size) > outboundLimitBytes) {
      queuedBytes.addAndGet(-size);
      return false;
    }
    enqueue(new Outgoing(ServerFrames.frame(opcode, payload), size, false));
    return true;
  }

  /** Sends the close frame, once, after what is queued; what the room sends after it is dropped. */
  void close(ByteBuffer[] closeFrame) {
    if (!closeQueued.compareAndSet(false, true)) {
      return;
    }
    enqueue(new Outgoing(closeFrame, 0, true));
    onIoThread(this::closeQueuedOnIoThread);
  }

  /**
   * Sends the close frame, once, ahead of what is queued, which is dropped: for a client too slow to
   * read what waits for it, which would otherwise never see why it is closed.
   */
  void closeAhead(ByteBuffer[] closeFrame) {
    if (!closeQueued.compareAndSet(false, true)) {
      return;
    }
    onIoThread(
        () -> {
          for (Outgoing dropped = outbound.poll(); dropped != null; dropped = outbound.poll()) {
            queuedBytes.addAndGet(-dropped.counted());
          }
          enqueue(new Outgoing(closeFrame, 0, true));
          closeQueuedOnIoThread();
        });
  }

  /** Stops reading from the client (TCP back-pressure); safe from any thread. */
  void suspendReads() {
    onIoThread(
        () -> {
          suspendedByCaller = true;
          source.suspendReads();
        });
  }

  /** Reads again after {@link #suspendReads()}; safe from any thread. */
  void resumeReads() {
    onIoThread(
        () -> {
          suspendedByCaller = false;
          if (!closed.get() && handler != null) {
            source.resumeReads();
          }
        });
  }

  /** Closes the TCP connection now, without a closing handshake; safe from any thread. */
  void abort() {
    onIoThread(this::closeNow);
  }

  private void enqueue(Outgoing frame) {
    outbound.add(frame);
    if (flushScheduled.compareAndSet(false, true)) {
      // A task even on the I/O thread itself: it runs after the tasks already queued there, so the
      // sends of a burst that are queued as tasks of their own join this one gathering write.
      ioThread.execute(() -> guarded(this::flush));
    }
  }

  private void onIoThread(Runnable task) {
    Runnable safe = () -> guarded(task);
    if (Thread.currentThread() == ioThread) {
      safe.run();
    } else {
      ioThread.execute(safe);
    }
  }

  /** Nothing thrown here may reach XNIO: a failure of ours ends this connection, no other. */
  private void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException | Error e) {
      log.error("client connection failed; closing it", e);
      closeNow();
    }
  }

  private void readable() {
    try (PooledByteBuffer pooled = buffers.allocate()) {
      ByteBuffer buffer = pooled.getBuffer();
      for (int i = 0; i < READS_PER_EVENT && !closed.get() && source.isReadResumed(); i++) {
        buffer.clear();
        int n = source.read(buffer);
        if (n < 0) {
          closeNow();
          return;
        }
        if (n == 0) {
          return;
        }
        buffer.flip();
        if (!failed) {
          Optional<ClientFrameParser.Violation> violation = parser.feed(buffer, frames);
          if (violation.isPresent()) {
            failed = true;
            handler.violation(violation.get());
          }
        }
      }
    } catch (IOException e) {
      closeNow();
    }
  }

  /** Runs after the close frame's flush was scheduled, so a flush that already wrote it is followed up. */
  private void closeQueuedOnIoThread() {
    closeFrameSent = true;
    if (!closeFrameReceived && closeTimer == null && !closed.get()) {
      closeTimer =
          ioThread.executeAfter(
              () -> guarded(this::closeNow), closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    flush();
  }

  private void flush() {
    flushScheduled.set(false);
    if (closed.get()) {
      return;
    }
    try {
      while (true) {
        if (writing == null) {
          writing = nextWrite();
          if (writing == null) {
            break;
          }
        }
        ByteBuffer[] buffers = writing.frame();
        sink.write(buffers);
        if (buffers[buffers.length - 1].hasRemaining()) {
          sink.resumeWrites();
          return;
        }
        queuedBytes.addAndGet(-writing.counted());
        writing = null;
      }
      if (!sink.flush()) {
        sink.resumeWrites();
        return;
      }
      sink.suspendWrites();
      if (closeFrameSent && outbound.isEmpty()) {
        afterCloseFlushed();
      }
    } catch (IOException e) {
      closeNow();
    }
  }

  /**
   * The frames queued now, up to {@link #MAX_GATHERED_FRAMES}, as one gathering write: a client that
   * fell behind by several frames (a busy broadcast) gets them in one system call instead of one
   * each, which on loopback also spares the receiving side's per-segment work.
   */
  private Outgoing nextWrite() {
    Outgoing first = nextFrame();
    Outgoing next = first != null && gatherMore(1, first.counted()) ? nextFrame() : null;
    if (next == null) {
      return first;
    }
    List<ByteBuffer> buffers = new ArrayList<>(Arrays.asList(first.frame()));
    long counted = first.counted();
    for (int frames = 1; next != null; next = gatherMore(frames, counted) ? nextFrame() : null) {
      buffers.addAll(Arrays.asList(next.frame()));
      counted += next.counted();
      frames++;
    }
    return new Outgoing(buffers.toArray(ByteBuffer[]::new), counted, closeWritten);
  }

  /**
   * Small frames are gathered, large ones are not: one system call copying megabytes would hold
   * the I/O thread from its other sockets, and large frames gain nothing from sharing a call.
   */
  private boolean gatherMore(int frames, long bytes) {
    return frames < MAX_GATHERED_FRAMES && bytes < MAX_GATHERED_BYTES && !closeWritten;
  }

  /** The next frame to write, skipping what was queued behind a close frame already taken. */
  private Outgoing nextFrame() {
    for (Outgoing frame = outbound.poll(); frame != null; frame = outbound.poll()) {
      if (!closeWritten) {
        closeWritten = frame.close();
        return frame;
      }
      // Queued by a send that raced with the close: nothing may follow a close frame.
      queuedBytes.addAndGet(-frame.counted());
    }
    return null;
  }

  /**
   * Both close frames exchanged: the server closes TCP first (RFC 6455 §7.1.1). A failed connection
   * is half-closed and drained instead, so data the client still sends cannot reset the connection
   * before it has read why.
   */
  private void afterCloseFlushed() throws IOException {
    if (closeFrameReceived) {
      closeNow();
    } else if (failed) {
      sink.shutdownWrites();
      sink.flush();
    }
  }

  private void closeNow() {
    IoUtils.safeClose(connection);
    // The close listener normally runs from safeClose; make sure it did.
    closed();
  }

  private void closed() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (closeTimer != null) {
      closeTimer.remove();
    }
    outbound.clear();
    queuedBytes.set(0);
    writing = null;
    if (handler != null) {
      handler.closed(closeFrameReceived);
    }
  }

  /** Passes the parsed frames on, noting the peer's close for the closing handshake. */
  private final class Frames implements ClientFrameParser.Sink {
    @Override
    public void text(String text, int size) {
      handler.text(text, size);
    }

    @Override
    public void binary(byte[] payload) {
      handler.binary(payload);
    }

    @Override
    public void ping(byte[] payload) {
      handler.ping(payload);
    }

    @Override
    public void pong(byte[] payload) {
      handler.pong(payload);
    }

    @Override
    public void close(int code, String reason) {
      closeFrameReceived = true;
      handler.close(code, reason);
      // Our close may already be out: then the handshake is complete and TCP can go.
      flush();
    }
  }
}
