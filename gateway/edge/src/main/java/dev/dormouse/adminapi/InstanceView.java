package dev.dormouse.adminapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * One instance as the admin API shows it. Times are epoch milliseconds.
 *
 * @param instance its name; {@code ""} for the one instance of a room without instances ({@code _}
 *     in paths)
 * @param connections its open connections, at every gateway
 * @param connectionsByGateway the same per gateway id
 * @param lastActivity when this gateway last sent it an event (remembered a minute), else null
 * @param owner the owner holding its lease (the one it is in memory at), else null
 * @param alarm when its alarm is due, else null
 * @param waitingEvents its events waiting at this gateway for an owner
 * @param wakes how often it woke (while its history lasts), null when a listing left its history
 *     out
 * @param lastRevivalMillis how long its latest wake took, null when none is known
 * @param timeline its last sleeps and wakes, oldest first, null when a listing left its history out
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record InstanceView(
    String namespace,
    String room,
    String instance,
    InstanceState state,
    int connections,
    Map<String, Integer> connectionsByGateway,
    Long lastActivity,
    String owner,
    Long alarm,
    int waitingEvents,
    Long wakes,
    Double lastRevivalMillis,
    List<TransitionView> timeline) {

  /** The path segment naming it under {@code /api/rooms/{namespace}/{room}/}. */
  public String path() {
    return AdminPaths.segment(instance);
  }
}
