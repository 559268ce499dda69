package dev.dormouse.operator.redis;

import dev.dormouse.contract.ActivityReport;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What Redis says about one room at one moment.
 *
 * @param reports fresh activity reports by owner id (stale ones already dropped)
 * @param connections open client connections over all instances
 * @param instancesWithConnections instances that have at least one open connection
 */
public record RoomActivity(
    Map<String, ActivityReport> reports, long connections, int instancesWithConnections) {

  public RoomActivity {
    reports = Map.copyOf(reports);
  }

  public int activeInstances() {
    return sum(reports.values());
  }

  /** Active instances on the given owners only: a drained owner's instances come back elsewhere. */
  public int activeInstancesOn(Collection<String> ownerIds) {
    return sum(ownerIds.stream().map(reports::get).filter(Objects::nonNull).toList());
  }

  public int activeInstancesOf(String ownerId) {
    ActivityReport report = reports.get(ownerId);
    return report == null ? 0 : report.activeInstances();
  }

  /**
   * Why the room's code cannot run, as the first of the given owners (by id, so that the status
   * does not flip between owners that say different things) reports it.
   */
  public Optional<String> codeErrorOn(Collection<String> ownerIds) {
    return ownerIds.stream()
        .sorted()
        .map(reports::get)
        .filter(Objects::nonNull)
        .map(ActivityReport::codeError)
        .filter(Objects::nonNull)
        .findFirst();
  }

  public Optional<Instant> lastActivity() {
    return reports.values().stream()
        .mapToLong(ActivityReport::lastActivity)
        .filter(millis -> millis > 0)
        .max()
        .stream()
        .mapToObj(Instant::ofEpochMilli)
        .findFirst();
  }

  private static int sum(Collection<ActivityReport> reports) {
    return reports.stream().mapToInt(r -> Math.max(0, r.activeInstances())).sum();
  }
}
