package dev.dormouse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The load client, run in its own JVM so its sockets and garbage are not on the server's heap. It
 * takes one command a line on stdin and answers each with one line {@code ok key=value ...} or
 * {@code error ...} on stdout:
 * <ul>
 *   <li>{@code open URI N [socketio] [SOURCE]} — opens N more sockets (at most {@value
 *       #CONNECTING} handshakes at once); with {@code socketio} as Socket.IO clients ({@link
 *       SocketIoFraming}), whose texts are sent as "message" events and whose received events
 *       count as messages; from the local address SOURCE if given (e.g. 127.0.0.2)
 *   <li>{@code frames QUIET_MS} — waits until no socket received a frame for QUIET_MS (at most
 *       60 s), then tells the frames received by all sockets so far and when the last one came
 *   <li>{@code echo RATE SECONDS WARMUP REPLIES PAYLOAD [own]} — round trips at a fixed rate over
 *       all open sockets, each timed to its first reply, with {@code own} to the first that reaches
 *       the socket that sent it (a room broadcast including the sender)
 *   <li>{@code broadcast MESSAGES PAYLOAD [COPIES SKIP]} — socket 0 sends, windowed; waits until every
 *       socket got COPIES (default 1) of every message, each with the sent text SKIP bytes in (default 0)
 *   <li>{@code rtt COUNT} — sequential round trips on socket 0, each time printed
 *   <li>{@code storm URI N IN_FLIGHT TIMEOUT_SECONDS} — opens N more sockets as fast as the client
 *       can with at most IN_FLIGHT handshakes at once; counts failures and the handshakes still
 *       unfinished at the timeout, and times each handshake
 *   <li>{@code batches URI N BATCH} — opens N more sockets BATCH at a time, each batch started when
 *       the previous one is all open
 *   <li>{@code closeall}, {@code quit}
 * </ul>
 */
public final class LoadClient implements WsLoop.Listener {

  private static final int CONNECTING = 200;
  private static final int BROADCAST_WINDOW = 64;
  private static final long REPLY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final WsLoop[] loops;
  private final List<WsConnection> connections = new ArrayList<>();

  /** Bounds the handshakes in flight; a storm swaps in its own bound for its duration. */
  private volatile Semaphore handshakes = new Semaphore(CONNECTING);

  /** When each socket of the running storm opened; null outside a storm. */
  private volatile HandshakeClock clock;

  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger closedByServer = new AtomicInteger();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private volatile CountDownLatch opening = new CountDownLatch(0);
  private volatile Receiver receiver = (connection, payload, text) -> {};

  /** What the current command does with incoming messages; runs on a loop thread. */
  private interface Receiver {
    void message(WsConnection connection, ByteBuffer payload, boolean text);
  }

  private LoadClient(int loopCount) throws IOException {
    loops = new WsLoop[loopCount];
    for (int i = 0; i < loopCount; i++) {
      loops[i] = new WsLoop("client-loop-" + i, this);
    }
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    LoadClient client = new LoadClient(args.length > 0 ? Integer.parseInt(args[0]) : 1);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
      try {
        out.println("ok " + client.run(line.trim().split(" ")));
      } catch (Exception e) {
        out.println("error " + e.toString().replace('\n', ' '));
      }
    }
    for (WsLoop loop : client.loops) {
      loop.close();
    }
    // The parent closed our stdin or said quit: nothing may keep this JVM alive.
    System.exit(0);
  }

  private String run(String[] cmd) throws Exception {
    return switch (cmd[0]) {
      case "open" ->
          open(
              URI.create(cmd[1]),
              Integer.parseInt(cmd[2]),
              cmd.length > 3 && cmd[3].equals("socketio"),
              source(cmd));
      case "frames" -> frames(Integer.parseInt(cmd[1]));
      case "echo" ->
          echo(
              Integer.parseInt(cmd[1]),
              Integer.parseInt(cmd[2]),
              Integer.parseInt(cmd[3]),
              Integer.parseInt(cmd[4]),
              Integer.parseInt(cmd[5]),
              cmd.length > 6 && cmd[6].equals("own"));
      case "broadcast" ->
          broadcast(
              Integer.parseInt(cmd[1]),
              Integer.parseInt(cmd[2]),
              cmd.length > 3 ? Integer.parseInt(cmd[3]) : 1,
              cmd.length > 4 ? Integer.parseInt(cmd[4]) : 0);
      case "rtt" -> rtt(Integer.parseInt(cmd[1]));
      case "storm" ->
          storm(
              URI.create(cmd[1]),
              Integer.parseInt(cmd[2]),
              Integer.parseInt(cmd[3]),
              Integer.parseInt(cmd[4]));
      case "batches" ->
          batches(URI.create(cmd[1]), Integer.parseInt(cmd[2]), Integer.parseInt(cmd[3]));
      case "closeall" -> closeAll();
      default -> throw new IllegalArgumentException("unknown command " + cmd[0]);
    };
  }

  /** {@code open}'s SOURCE: the argument after N (or after {@code socketio}), if any. */
  private static InetAddress source(String[] cmd) throws IOException {
    int at = cmd.length > 3 && cmd[3].equals("socketio") ? 4 : 3;
    return cmd.length > at ? InetAddress.getByName(cmd[at]) : null;
  }

  private String open(URI uri, int count, boolean socketIo, InetAddress source) throws Exception {
    int failedBefore = failures.get();
    opening = new CountDownLatch(count);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (!handshakes.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("handshakes stalled after " + i + " sockets");
      }
      int index = connections.size();
      connections.add(loops[index % loops.length].connect(index, uri, socketIo, source));
    }
    if (!opening.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("sockets still opening after 60 s");
    }
    return openAnswer(failedBefore, System.nanoTime() - start);
  }

  /** The answer of a command that opened sockets: how many are open, failed since, and the time. */
  private String openAnswer(int failedBefore, long elapsed) {
    int failed = failures.get() - failedBefore;
    return "open="
        + connections.size()
        + " failed="
        + failed
        + " ms="
        + elapsed / 1_000_000
        + " elapsedNs="
        + elapsed
        + failureNote(failed);
  }

  /** The start and the end of each handshake of a storm, by socket index from {@code base}. */
  private static final class HandshakeClock {
    final int base;
    final long[] started;
    final long[] opened;

    HandshakeClock(int base, int count) {
      this.base = base;
      this.started = new long[count];
      this.opened = new long[count];
    }
  }

  /**
   * Opens {@code count} sockets with {@code inFlight} handshakes at a time, never waiting longer
   * than {@code timeoutSeconds} in all. Accepted per second is counted from the first connect to
   * the last socket open; a handshake that neither opened nor failed by then is timed out.
   */
  private String storm(URI uri, int count, int inFlight, int timeoutSeconds) throws Exception {
    int failedBefore = failures.get();
    HandshakeClock times = new HandshakeClock(connections.size(), count);
    CountDownLatch settled = new CountDownLatch(count);
    opening = settled;
    handshakes = new Semaphore(inFlight);
    clock = times;
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    int started = 0;
    try {
      for (; started < count; started++) {
        if (!handshakes.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
          break;
        }
        int index = connections.size();
        times.started[started] = System.nanoTime();
        connections.add(loops[index % loops.length].connect(index, uri, false, null));
      }
      settled.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    } finally {
      clock = null;
      handshakes = new Semaphore(CONNECTING);
    }
    long[] took = new long[count];
    int opened = 0;
    long last = start;
    for (int i = 0; i < count; i++) {
      if (times.opened[i] > 0) {
        took[opened++] = times.opened[i] - times.started[i];
        last = Math.max(last, times.opened[i]);
      }
    }
    int failed = failures.get() - failedBefore;
    Percentiles p = new Percentiles(took, opened);
    long elapsed = Math.max(1, last - start);
    return "opened="
        + opened
        + " failed="
        + failed
        + " timedOut="
        + Math.max(0, started - opened - failed)
        + " notStarted="
        + (count - started)
        + " elapsedNs="
        + elapsed
        + " perSecond="
        + (long) (opened / (elapsed / 1e9))
        + " p50="
        + p.at(50)
        + " p99="
        + p.at(99)
        + " max="
        + p.max()
        + failureNote(failed);
  }

  /** Opens {@code count} sockets {@code batch} at a time: each batch all open before the next. */
  private String batches(URI uri, int count, int batch) throws Exception {
    int failedBefore = failures.get();
    long slowest = 0;
    long start = System.nanoTime();
    for (int done = 0; done < count; done += batch) {
      long batchStart = System.nanoTime();
      open(uri, Math.min(batch, count - done), false, null);
      slowest = Math.max(slowest, System.nanoTime() - batchStart);
    }
    return openAnswer(failedBefore, System.nanoTime() - start) + " slowestBatchNs=" + slowest;
  }

  /**
   * Polls the sockets' frame counts (each written by its loop thread alone; a stale read only
   * delays the answer by a poll) until they stay unchanged for {@code quietMillis}.
   */
  private String frames(int quietMillis) throws Exception {
    long start = System.nanoTime();
    long deadline = start + TimeUnit.SECONDS.toNanos(60);
    long last = -1;
    long changedAt = start;
    while (true) {
      long total = 0;
      for (WsConnection connection : connections) {
        total += connection.received;
      }
      long now = System.nanoTime();
      if (total != last) {
        last = total;
        changedAt = now;
      } else if (now - changedAt >= TimeUnit.MILLISECONDS.toNanos(quietMillis) || now > deadline) {
        return "frames="
            + total
            + " lastMs="
            + (changedAt - start) / 1_000_000
            + " quiet="
            + (now <= deadline);
      }
      Thread.sleep(10); // polling counters the loop threads bump: no event to await per frame
    }
  }

  /**
   * Sends message i at start + i/rate whatever happened before, and times each reply from that
   * intended moment: a stalled server shows up as latency instead of a slower send rate.
   */
  private String echo(
      int rate,
      int seconds,
      int warmupSeconds,
      int repliesPerMessage,
      int payloadBytes,
      boolean ownCopy)
      throws Exception {
    int total = rate * (seconds + warmupSeconds);
    int warmup = rate * warmupSeconds;
    long[] latency = new long[total];
    AtomicInteger replies = new AtomicInteger();
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime() + 1_000_000;
    int sockets = connections.size();
    receiver =
        (connection, payload, text) -> {
          int seq = sequenceOf(payload);
          if (seq >= 0 && seq < total) {
            if (latency[seq] == 0 && (!ownCopy || connection.index == seq % sockets)) {
              latency[seq] = Math.max(1, System.nanoTime() - (start + seq * period));
            }
            replies.incrementAndGet();
          }
        };
    String padding = "x".repeat(Math.max(0, payloadBytes - 12));
    for (int seq = 0; seq < total; seq++) {
      long due = start + seq * period;
      for (long now; (now = System.nanoTime()) < due; ) {
        LockSupport.parkNanos(due - now);
      }
      connections.get(seq % sockets).sendText("#" + seq + "#" + padding);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (replies.get() < (long) total * repliesPerMessage && System.nanoTime() < deadline) {
      Thread.sleep(5); // polling a counter the loop threads bump: no event to await per message
    }
    receiver = (connection, payload, text) -> {};
    long[] measured = new long[total - warmup];
    int answered = 0;
    for (int seq = warmup; seq < total; seq++) {
      if (latency[seq] > 0) {
        measured[answered++] = latency[seq];
      }
    }
    Percentiles p = new Percentiles(measured, answered);
    long sendSeconds = Math.max(1, (System.nanoTime() - start) / 1_000_000_000L);
    return "sent="
        + (total - warmup)
        + " answered="
        + answered
        + " replies="
        + replies.get()
        + " p50="
        + p.at(50)
        + " p90="
        + p.at(90)
        + " p99="
        + p.at(99)
        + " p999="
        + p.at(99.9)
        + " max="
        + p.max()
        + " wallSeconds="
        + sendSeconds;
  }

  /** The number between the first two '#' of a message, or -1. */
  private static int sequenceOf(ByteBuffer payload) {
    int i = payload.position();
    int end = payload.limit();
    while (i < end && payload.get(i) != '#') {
      i++;
    }
    int value = 0;
    boolean digits = false;
    for (i++; i < end; i++) {
      byte b = payload.get(i);
      if (b == '#') {
        return digits ? value : -1;
      }
      if (b < '0' || b > '9') {
        return -1;
      }
      value = value * 10 + (b - '0');
      digits = true;
    }
    return -1;
  }

  /**
   * Socket 0 sends {@code messages}, at most {@value #BROADCAST_WINDOW} ahead of its own copies
   * coming back: an unbounded burst of 2000 got the sender closed by the server after ~1560
   * messages (the instance's queue is bounded); the clock stops when the last socket got the last
   * message. A room that answers each message with several copies to each socket (the seed: the
   * direct reply and two loops) is counted by {@code copies}, its replies' text {@code skip} bytes in.
   */
  private String broadcast(int messages, int payloadBytes, int copies, int skip) throws Exception {
    int sockets = connections.size();
    int[] counts = new int[sockets];
    AtomicInteger complete = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(1);
    long[] firstAndLast = new long[2];
    WsConnection sender = connections.get(0);
    Semaphore window = new Semaphore(BROADCAST_WINDOW);
    int expected = messages * copies;
    receiver =
        (connection, payload, text) -> {
          if (payload.remaining() <= skip || payload.get(payload.position() + skip) != 'B') {
            return;
          }
          int count = ++counts[connection.index];
          if (connection == sender && count % copies == 0) {
            window.release();
          }
          if (count == expected && complete.incrementAndGet() == sockets) {
            firstAndLast[1] = System.nanoTime();
            done.countDown();
          }
        };
    String body = "B" + "x".repeat(Math.max(0, payloadBytes - 1));
    long cpuBefore = processCpuNanos();
    long start = System.nanoTime();
    for (int i = 0; i < messages; i++) {
      if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
        break; // the sender's own copies stopped coming: report what arrived
      }
      sender.sendText(body);
    }
    boolean finished = done.await(60, TimeUnit.SECONDS);
    long end = finished ? firstAndLast[1] : System.nanoTime();
    receiver = (connection, payload, text) -> {};
    long delivered = 0;
    int least = Integer.MAX_VALUE;
    for (int c : counts) {
      delivered += c;
      least = Math.min(least, c);
    }
    long elapsed = end - start;
    long cpu = processCpuNanos() - cpuBefore;
    return "cpuNs="
        + cpu
        + " sockets="
        + sockets
        + " messages="
        + messages
        + " delivered="
        + delivered
        + " complete="
        + finished
        + " elapsedNs="
        + elapsed
        + " perSecond="
        + (long) (delivered / (elapsed / 1e9))
        + " socketsComplete="
        + complete.get()
        + " leastReceived="
        + least
        + " closedByServer="
        + closedByServer.get();
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Sequential round trips on socket 0; each reply awaited before the next send. */
  private String rtt(int count) throws Exception {
    StringBuilder times = new StringBuilder();
    WsConnection socket = connections.get(0);
    for (int i = 0; i < count; i++) {
      CountDownLatch replied = new CountDownLatch(1);
      long[] at = new long[1];
      int seq = i;
      receiver =
          (connection, payload, text) -> {
            if (connection == socket && sequenceOf(payload) == seq && replied.getCount() > 0) {
              at[0] = System.nanoTime();
              replied.countDown();
            }
          };
      long start = System.nanoTime();
      socket.sendText("#" + seq + "#");
      if (!replied.await(REPLY_TIMEOUT_NANOS, TimeUnit.NANOSECONDS)) {
        throw new IllegalStateException("no reply to round trip " + i);
      }
      times.append(i == 0 ? "" : ",").append(at[0] - start);
    }
    receiver = (connection, payload, text) -> {};
    return "nanos=" + times;
  }

  private String closeAll() {
    for (WsConnection connection : connections) {
      connection.close();
    }
    int count = connections.size();
    connections.clear();
    return "closed=" + count;
  }

  /** The first failure's reason, as one more pair of the answer, when there were failures. */
  private String failureNote(int failed) {
    return failed > 0 ? " firstFailure=" + firstFailure.get().replace(' ', '_') : "";
  }

  @Override
  public void opened(WsConnection connection) {
    HandshakeClock times = clock;
    if (times != null) {
      int i = connection.index - times.base;
      if (i >= 0 && i < times.opened.length) {
        times.opened[i] = System.nanoTime();
      }
    }
    handshakes.release();
    opening.countDown();
  }

  @Override
  public void failed(WsConnection connection, String why) {
    failures.incrementAndGet();
    firstFailure.compareAndSet(null, why);
    handshakes.release();
    opening.countDown();
  }

  @Override
  public void message(WsConnection connection, ByteBuffer payload, boolean text) {
    receiver.message(connection, payload, text);
  }

  @Override
  public void closed(WsConnection connection) {
    closedByServer.incrementAndGet();
  }
}
