package dev.dormouse.testing;

import java.util.concurrent.ThreadFactory;

/** Threads of a test's helpers (a fake API server, a pod runner) that never keep the JVM alive. */
public final class DaemonThreads {

  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
