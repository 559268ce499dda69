package dev.dormouse.adminapi;

/** How instance names appear in the admin API's paths. */
final class AdminPaths {

  /**
   * The path segment of the one instance of a room without instances, whose name is {@code ""}: a
   * path cannot carry an empty segment.
   */
  static final String SOLE_INSTANCE = "_";

  private AdminPaths() {}

  static String segment(String instance) {
    return instance.isEmpty() ? SOLE_INSTANCE : instance;
  }
}
