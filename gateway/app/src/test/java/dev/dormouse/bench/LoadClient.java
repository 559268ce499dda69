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
 *   <li>{@code open URI N [SOURCE]} — opens N more sockets (at most {@value #CONNECTING} handshakes
 *       at once), from the local address SOURCE if given (e.g. 127.0.0.2)
 *   <li>{@code echo RATE SECONDS WARMUP REPLIES PAYLOAD} — round trips at a fixed rate over all open sockets
 *   <li>{@code broadcast MESSAGES PAYLOAD [COPIES SKIP]} — socket 0 sends, windowed; waits until every
 *       socket got COPIES (default 1) of every message, each with the sent text SKIP bytes in (default 0)
 *   <li>{@code rtt COUNT} — sequential round trips on socket 0, each time printed
 *   <li>{@code closeall}, {@code quit}
 * </ul>
 */
public final class LoadClient implements WsLoop.Listener {

  private static final int CONNECTING = 200;
  private static final int BROADCAST_WINDOW = 64;
  private static final long REPLY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final WsLoop[] loops;
  private final List<WsConnection> connections = new ArrayList<>();
  private final Semaphore handshakes = new Semaphore(CONNECTING);
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
              cmd.length > 3 ? InetAddress.getByName(cmd[3]) : null);
      case "echo" ->
          echo(
              Integer.parseInt(cmd[1]),
              Integer.parseInt(cmd[2]),
              Integer.parseInt(cmd[3]),
              Integer.parseInt(cmd[4]),
              Integer.parseInt(cmd[5]));
      case "broadcast" ->
          broadcast(
              Integer.parseInt(cmd[1]),
              Integer.parseInt(cmd[2]),
              cmd.length > 3 ? Integer.parseInt(cmd[3]) : 1,
              cmd.length > 4 ? Integer.parseInt(cmd[4]) : 0);
      case "rtt" -> rtt(Integer.parseInt(cmd[1]));
      case "closeall" -> closeAll();
      default -> throw new IllegalArgumentException("unknown command " + cmd[0]);
    };
  }

  private String open(URI uri, int count, InetAddress source) throws Exception {
    int failedBefore = failures.get();
    opening = new CountDownLatch(count);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      if (!handshakes.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("handshakes stalled after " + i + " sockets");
      }
      int index = connections.size();
      connections.add(loops[index % loops.length].connect(index, uri, source));
    }
    if (!opening.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("sockets still opening after 60 s");
    }
    long elapsed = System.nanoTime() - start;
    int failed = failures.get() - failedBefore;
    return "open="
        + connections.size()
        + " failed="
        + failed
        + " ms="
        + elapsed / 1_000_000
        + (failed > 0 ? " firstFailure=" + firstFailure.get().replace(' ', '_') : "");
  }

  /**
   * Sends message i at start + i/rate whatever happened before, and times each reply from that
   * intended moment: a stalled server shows up as latency instead of a slower send rate.
   */
  private String echo(
      int rate, int seconds, int warmupSeconds, int repliesPerMessage, int payloadBytes)
      throws Exception {
    int total = rate * (seconds + warmupSeconds);
    int warmup = rate * warmupSeconds;
    long[] latency = new long[total];
    AtomicInteger replies = new AtomicInteger();
    long period = 1_000_000_000L / rate;
    long start = System.nanoTime() + 1_000_000;
    receiver =
        (connection, payload, text) -> {
          int seq = sequenceOf(payload);
          if (seq >= 0 && seq < total) {
            if (latency[seq] == 0) {
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
      connections.get(seq % connections.size()).sendText("#" + seq + "#" + padding);
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

  @Override
  public void opened(WsConnection connection) {
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
