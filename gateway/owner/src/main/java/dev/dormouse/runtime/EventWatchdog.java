package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.RoomEvent;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches each handler call for its room's eventTimeout (for a socket event, the instance's
 * hibernatable socket event timeout when it set one). A call that overruns it is abandoned: its
 * instance is reset, whoever waits on the event is answered, another thread stands in for the stuck
 * one (which is interrupted) and a new drain takes over the mailbox. When the call finally returns,
 * whatever it did after the timeout stays without effect: its instance is retired. An abandoned
 * {@code onAlarm} is recorded failed at once ({@link Alarms#abandon}).
 *
 * <p>The calls in flight are swept by one timer, set for the earliest deadline among them, rather
 * than each call scheduling (and cancelling) a timer of its own: a cancelled timer stays queued
 * until its deadline, so thousands of events a second left hundreds of thousands of them, each
 * holding its event, for the 30 s of the default timeout (or the days of a hibernatable one).
 */
final class EventWatchdog {

  private static final Logger log = LoggerFactory.getLogger(EventWatchdog.class);

  private final OwnerClock clock;
  private final RoomThreads threads;
  private final Metrics metrics;
  private final Alarms alarms;
  private final Set<Watch> inFlight = ConcurrentHashMap.newKeySet();
  private final Object sweepLock = new Object();
  private OwnerClock.Timer sweep; // guarded by sweepLock, as sweepAtNanos
  private long sweepAtNanos;

  EventWatchdog(OwnerClock clock, RoomThreads threads, Metrics metrics, Alarms alarms) {
    this.clock = clock;
    this.threads = threads;
    this.metrics = metrics;
    this.alarms = alarms;
  }

  /** Starts watching the handler call for {@code event}, about to run on the current thread. */
  Watch watch(Mailbox mailbox, int generation, RoomEvent event) {
    Watch watch = new Watch(mailbox, generation, event, Thread.currentThread());
    inFlight.add(watch);
    sweepBy(watch.deadlineNanos);
    return watch;
  }

  /** Makes sure a sweep comes no later than {@code deadlineNanos}. */
  private void sweepBy(long deadlineNanos) {
    synchronized (sweepLock) {
      if (sweep != null && sweepAtNanos - deadlineNanos <= 0) {
        return;
      }
      if (sweep != null) {
        sweep.cancel();
      }
      long delayNanos = Math.max(0, deadlineNanos - clock.nanoTime());
      sweepAtNanos = deadlineNanos;
      sweep = clock.schedule((delayNanos + 999_999) / 1_000_000, this::sweep);
    }
  }

  /** Abandons each call past its deadline, and sets the next sweep for the earliest one left. */
  private void sweep() {
    synchronized (sweepLock) {
      sweep = null;
    }
    long now = clock.nanoTime();
    Watch earliest = null;
    for (Watch watch : inFlight) {
      if (now - watch.deadlineNanos >= 0) {
        inFlight.remove(watch);
        watch.expire();
      } else if (earliest == null || watch.deadlineNanos - earliest.deadlineNanos < 0) {
        earliest = watch;
      }
    }
    if (earliest != null) {
      sweepBy(earliest.deadlineNanos);
    }
  }

  private static Duration timeoutOf(Mailbox mailbox, RoomEvent event) {
    ActiveInstance instance = mailbox.instance;
    boolean socketEvent =
        event instanceof RoomEvent.Incoming
            || event instanceof RoomEvent.Close
            || event instanceof RoomEvent.Failure;
    if (socketEvent && instance != null) {
      return instance
          .getHibernatableWebSocketEventTimeout()
          .orElse(mailbox.settings.eventTimeout());
    }
    return mailbox.settings.eventTimeout();
  }

  /** One watched handler call. Its flags are guarded by the mailbox's monitor. */
  final class Watch {

    private final Mailbox mailbox;
    private final int generation;
    private final RoomEvent event;
    private final Thread thread;
    private final Duration timeout;
    private final long deadlineNanos;
    private boolean finished;
    private boolean overran;

    private Watch(Mailbox mailbox, int generation, RoomEvent event, Thread thread) {
      this.mailbox = mailbox;
      this.generation = generation;
      this.event = event;
      this.thread = thread;
      this.timeout = timeoutOf(mailbox, event);
      this.deadlineNanos = clock.nanoTime() + timeout.toNanos();
    }

    /** Runs {@code failure} unless the call overran: then the watchdog has answered for it already. */
    void unlessOverran(Runnable failure) {
      synchronized (mailbox) {
        if (!overran) {
          failure.run();
        }
      }
    }

    /** The call returned. */
    void finish() {
      inFlight.remove(this);
      boolean stuck;
      synchronized (mailbox) {
        finished = true;
        stuck = overran;
      }
      if (stuck) {
        Thread.interrupted();
        threads.stuckReturned();
      }
    }

    private void expire() {
      synchronized (mailbox) {
        if (finished || !mailbox.isCurrent(generation)) {
          return;
        }
        overran = true;
        log.error(
            "room {} overran its event timeout of {} handling {}; instance reset",
            mailbox.key,
            timeout,
            event.getClass().getSimpleName());
        metrics.error("timeout");
        mailbox.resetInstance(Eviction.RESET);
        EventAnswers.failed(event, EventAnswers.Failure.OVERRAN);
        if (event instanceof RoomEvent.Alarm && alarms.abandon(mailbox.key)) {
          // On a room thread (it writes to the store), racing the new drain: the next ring of the
          // key records it first if it gets there first, before reading the alarm.
          threads.execute(() -> alarms.recordAbandoned(mailbox.key));
        }
        threads.compensateStuck();
        thread.interrupt();
        mailbox.abandonDrain();
      }
    }
  }
}
