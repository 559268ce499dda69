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
  private volatile long readyMillis = -1;

  StartClock(String ownerId) {
    this.ownerId = ownerId;
  }

  /** Since the JVM started (its own record of that instant, not the first line of Main). */
  static long sinceJvmStart() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  void ready() {
    readyMillis = sinceJvmStart();
    log.info("owner {} ready {} ms after its JVM started", ownerId, readyMillis);
  }

  /** Once: the first event a gateway sent over the link (a wake's connect or message). */
  void event() {
    if (!firstEventSeen.get() && firstEventSeen.compareAndSet(false, true)) {
      log.info(
          "owner {} got its first event {} ms after its JVM started", ownerId, sinceJvmStart());
    }
  }

  /** For the gauge: seconds from JVM start to Ready, or -1 before. */
  double readySeconds() {
    long millis = readyMillis;
    return millis < 0 ? -1 : millis / 1000.0;
  }
}
