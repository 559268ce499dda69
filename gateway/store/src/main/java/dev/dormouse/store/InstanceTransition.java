package dev.dormouse.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An instance coming into memory or leaving it.
 *
 * @param owner the owner (pod) it happened on
 * @param reason why: for {@link Kind#WOKE} the kind of event that woke it ({@code message}, {@code
 *     connect}, {@code alarm}, ...), for {@link Kind#HIBERNATED} why it left memory ({@code idle},
 *     {@code lease lost}, {@code shutdown}, ...)
 * @param revival for {@link Kind#WOKE}, how long it took to come into memory
 */
public record InstanceTransition(
    Instant at, Kind kind, String owner, String reason, Optional<Duration> revival) {

  public enum Kind {
    WOKE,
    HIBERNATED
  }

  public InstanceTransition {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(revival, "revival");
  }

  public static InstanceTransition woke(Instant at, String owner, String reason, Duration revival) {
    return new InstanceTransition(at, Kind.WOKE, owner, reason, Optional.of(revival));
  }

  public static InstanceTransition hibernated(Instant at, String owner, String reason) {
    return new InstanceTransition(at, Kind.HIBERNATED, owner, reason, Optional.empty());
  }
}
