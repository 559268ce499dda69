package dev.dormouse.adminapi;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.dormouse.store.InstanceTransition;
import java.time.Duration;
import java.util.Locale;

/**
 * One sleep or wake of an instance as the admin API shows it.
 *
 * @param kind {@code woke} or {@code hibernated}
 * @param at when, ISO-8601 (UTC)
 * @param reason what woke it or why it left memory
 * @param owner the owner it happened on
 * @param revivalMillis for a wake, how long it took to come into memory, else null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TransitionView(
    String kind, String at, String reason, String owner, Double revivalMillis) {

  static TransitionView of(InstanceTransition transition) {
    return new TransitionView(
        transition.kind().name().toLowerCase(Locale.ROOT),
        transition.at().toString(),
        transition.reason(),
        transition.owner(),
        transition.revival().map(TransitionView::millis).orElse(null));
  }

  /** Milliseconds to the microsecond: a warm revival takes well under one. */
  static double millis(Duration duration) {
    return Math.round(duration.toNanos() / 1_000.0) / 1_000.0;
  }
}
