package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Hibernation {

  public static final String DEFAULT_IDLE_TIMEOUT = "10s";
  public static final String DEFAULT_SCALE_TO_ZERO_AFTER = "5m";
  public static final String NEVER = "never";

  @JsonPropertyDescription(
      "An instance idle this long is evicted from memory; its sockets stay open."
          + " A duration such as 10s, 2m or 1m30s.")
  @Default(DEFAULT_IDLE_TIMEOUT)
  @Pattern(Durations.PATTERN)
  private String idleTimeout = DEFAULT_IDLE_TIMEOUT;

  @JsonPropertyDescription(
      "When no instance of the room has been active this long, its owner pods are"
          + " removed (down to owners.minReplicas). A duration, or 'never' to keep them.")
  @Default(DEFAULT_SCALE_TO_ZERO_AFTER)
  @Pattern(Durations.PATTERN_OR_NEVER)
  private String scaleToZeroAfter = DEFAULT_SCALE_TO_ZERO_AFTER;

  public String getIdleTimeout() {
    return idleTimeout;
  }

  public void setIdleTimeout(String idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public String getScaleToZeroAfter() {
    return scaleToZeroAfter;
  }

  public void setScaleToZeroAfter(String scaleToZeroAfter) {
    this.scaleToZeroAfter = scaleToZeroAfter;
  }
}
