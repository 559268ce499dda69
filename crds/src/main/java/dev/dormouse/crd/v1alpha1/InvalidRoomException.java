package dev.dormouse.crd.v1alpha1;

import java.util.List;
import java.util.stream.Collectors;

/** A room spec that breaks the resource's rules; the message names every offending field. */
public class InvalidRoomException extends RuntimeException {

  private final transient List<Violation> violations;

  public InvalidRoomException(List<Violation> violations) {
    super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
