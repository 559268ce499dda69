package dev.dormouse.crd.v1alpha1;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;

/** Go-style durations as written in room specs: {@code 250ms}, {@code 10s}, {@code 1m30s}, {@code 2h}. */
public final class Durations {

  public static final String PATTERN = "^([0-9]+(ms|s|m|h))+$";
  public static final String PATTERN_OR_NEVER = "^(never|([0-9]+(ms|s|m|h))+)$";

  private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile(PATTERN);
  private static final java.util.regex.Pattern PART =
      java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)");

  private Durations() {}

  public static boolean isValid(String text) {
    return text != null && WHOLE.matcher(text).matches();
  }

  /** Parses a duration; throws {@link IllegalArgumentException} when {@link #isValid} is false. */
  public static Duration parse(String text) {
    if (!isValid(text)) {
      throw new IllegalArgumentException(
          "not a duration: '" + text + "' (expected e.g. 500ms, 10s, 1m30s, 2h)");
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
              });
    }
    return total;
  }

  /** Parses a duration that may be {@code never}, which gives an empty result. */
  public static Optional<Duration> parseOrNever(String text) {
    return Hibernation.NEVER.equals(text) ? Optional.empty() : Optional.of(parse(text));
  }
}
