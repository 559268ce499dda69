package dev.dormouse.runtime;

import dev.dormouse.contract.ActivityReport;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.ActivityReports;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the operator, through the store, how busy this owner is per room: instances in memory and the
 * last event they handled. A room that went quiet gets one last report of zero, so the operator
 * never scales on a stale count; a report that stops coming marks a dead owner.
 */
public final class ActivityPublisher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ActivityPublisher.class);

  private final ActivityReports reports;
  private final String ownerId;
  private final RoomRuntime runtime;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "activity");
            t.setDaemon(true);
            return t;
          });
  private final Set<String> reported = new HashSet<>();
  private final Map<String, Long> lastActivity = new HashMap<>();

  public ActivityPublisher(
      ActivityReports reports, String ownerId, RoomRuntime runtime, Duration every) {
    this.reports = reports;
    this.ownerId = ownerId;
    this.runtime = runtime;
    timer.scheduleWithFixedDelay(this::publish, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  void publish() {
    long now = System.currentTimeMillis();
    try {
      Map<String, ActivityReport> current = runtime.activity(now);
      Set<String> quiet = new HashSet<>(reported);
      quiet.removeAll(current.keySet());
      current.forEach(
          (roomPath, report) -> {
            lastActivity.put(roomPath, report.lastActivity());
            write(roomPath, report);
          });
      for (String roomPath : quiet) {
        write(roomPath, new ActivityReport(0, lastActivity.getOrDefault(roomPath, 0L), now));
        lastActivity.remove(roomPath);
      }
      reported.clear();
      reported.addAll(current.keySet());
    } catch (RuntimeException e) {
      log.warn("could not publish activity: {}", e.toString());
    }
  }

  private void write(String roomPath, ActivityReport report) {
    reports.report(RoomKey.parse(roomPath), ownerId, report);
  }

  /** Stops publishing and withdraws this owner's reports, so it stops counting at once. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      for (String roomPath : reported) {
        reports.withdraw(RoomKey.parse(roomPath), ownerId);
      }
    } catch (RuntimeException e) {
      log.warn("could not withdraw activity reports: {}", e.toString());
    }
  }
}
