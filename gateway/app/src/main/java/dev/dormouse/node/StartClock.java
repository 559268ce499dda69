package dev.dormouse.node;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Milestones of an owner's start, in milliseconds since its JVM started: what a client waits for when
 * its room wakes from zero owners (docs/kubernetes.md, "Owner start time"). Read only after the
 * milestone, so that loading {@code java.management} costs the start nothing.
 */
final class StartClock {

  private static final Logger log = LoggerFactory.getLogger(StartClock.class);

  private final String ownerId;
  private final AtomicBoolean firstEventSeen = new AtomicBoolean();
  private volatile long jvmStart = -1;
  private volatile long readyMillis = -1;

  StartClock(String ownerId) {
    this.ownerId = ownerId;
  }

  /** When the JVM started, by its own record (not the first line of Main). */
  private static long jvmStartMillis() {
    return ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  void ready() {
    long start = jvmStartMillis();
    jvmStart = start;
    readyMillis = System.currentTimeMillis() - start;
    log.info("owner {} ready {} ms after its JVM started", ownerId, readyMillis);
  }

  /**
   * Once: the first event a gateway sent over the link (a wake's connect or message). On the link's
   * event loop, so the JVM's start comes from {@link #ready()} when it has run.
   */
  void event() {
    if (!firstEventSeen.get() && firstEventSeen.compareAndSet(false, true)) {
      long start = jvmStart < 0 ? jvmStartMillis() : jvmStart;
      log.info(
          "owner {} got its first event {} ms after its JVM started",
          ownerId,
          System.currentTimeMillis() - start);
    }
  }

  /** For the gauge: seconds from JVM start to Ready, or -1 before. */
  double readySeconds() {
    long millis = readyMillis;
    return millis < 0 ? -1 : millis / 1000.0;
  }
}
