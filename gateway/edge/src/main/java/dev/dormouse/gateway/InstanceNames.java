package dev.dormouse.gateway;

import java.util.regex.Pattern;

/**
 * What an instance may be named. Instance names appear in URLs, Redis keys and logs: keep them
 * plain, and never a path segment that means something ({@code .}, {@code ..}).
 */
public final class InstanceNames {

  private static final Pattern INSTANCE = Pattern.compile("^(?!\\.+$)[A-Za-z0-9._~-]{1,128}$");

  public static final String RULE =
      "Instance names are 1 to 128 of A-Z a-z 0-9 . _ ~ -, not only dots";

  private InstanceNames() {}

  public static boolean valid(String name) {
    return INSTANCE.matcher(name).matches();
  }
}
