package dev.dormouse.link.wire;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections a link's recent commands (SEND, CLIENT_CLOSE) were for. A link that dies silently
 * (a network cut) is seen dead only after the heartbeat's silence limit, and whatever was written
 * into it meanwhile is lost with its TCP connection; when the link goes, these are the connections
 * that may have missed something, to be told when their gateway links again.
 */
final class RecentCommands {

  /**
   * The silence limit, a ping's interval and a margin: what was written longer ago than that, before
   * the peer last proved it was there, reached it.
   */
  static final long WINDOW_NANOS =
      TimeUnit.MILLISECONDS.toNanos(
          Heartbeat.SILENCE_LIMIT_MILLIS + Heartbeat.PING_AFTER_MILLIS + 1_000);

  /** Past this many commands in the window the oldest are forgotten: memory stays bounded. */
  static final int MAX_REMEMBERED = 100_000;

  private record Written(long atNanos, Collection<String> connectionIds) {}

  private final ConcurrentLinkedDeque<Written> written = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();

  /** Any thread. */
  void wrote(Frame frame) {
    Collection<String> ids = connectionsOf(frame);
    if (ids.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    written.addLast(new Written(now, ids));
    size.incrementAndGet();
    for (Written oldest = written.peekFirst();
        oldest != null && (now - oldest.atNanos > WINDOW_NANOS || size.get() > MAX_REMEMBERED);
        oldest = written.peekFirst()) {
      if (written.removeFirstOccurrence(oldest)) {
        size.decrementAndGet();
      }
    }
  }

  /** The connections that commands written within the window were for, now the link is gone. */
  List<String> inWindow() {
    long now = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (Written w : written) {
      if (now - w.atNanos <= WINDOW_NANOS) {
        ids.addAll(w.connectionIds);
      }
    }
    return ids;
  }

  /** The connections a command is for; none for the rest. */
  static Collection<String> connectionsOf(Frame frame) {
    if (frame instanceof Frame.Send send) {
      return send.connectionIds();
    }
    return frame instanceof Frame.ClientClose close ? List.of(close.connectionId()) : List.of();
  }
}
