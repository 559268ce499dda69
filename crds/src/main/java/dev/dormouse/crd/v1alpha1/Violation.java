package dev.dormouse.crd.v1alpha1;

/** One thing wrong with a room, named by its field path so the user can find it. */
public record Violation(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
