package dev.dormouse.cluster;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Logs that a recurring Redis task fails when it starts failing and when it works again, rather
 * than every few seconds while Redis is down.
 */
final class OutageLog {

  private final Logger log;
  private final String task;
  private final AtomicBoolean failing = new AtomicBoolean();

  OutageLog(Logger log, String task) {
    this.log = log;
    this.task = task;
  }

  void failed(Throwable error) {
    if (failing.compareAndSet(false, true)) {
      log.warn("{} failed, retrying quietly until it works: {}", task, error.toString());
    }
  }

  void succeeded() {
    if (failing.compareAndSet(true, false)) {
      log.info("{} works again", task);
    }
  }
}
