package dev.dormouse.js;

import java.security.SecureRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the globals get of the host ({@code globalThis.__host}, removed once they ran): the room's
 * log, each line naming the room instance, and random bytes for {@code crypto}.
 */
final class RoomLog {

  private static final Logger LOG = LoggerFactory.getLogger("dev.dormouse.js.console");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Most bytes one call returns, as {@code crypto.getRandomValues} allows. */
  static final int MAX_RANDOM_BYTES = 65_536;

  private final String room;

  RoomLog(String room) {
    this.room = room;
  }

  void log(String level, String text) {
    switch (level) {
      case "debug" -> LOG.debug("[{}] {}", room, text);
      case "warn" -> LOG.warn("[{}] {}", room, text);
      case "error" -> LOG.error("[{}] {}", room, text);
      default -> LOG.info("[{}] {}", room, text);
    }
  }

  static String randomBytes(int n) {
    if (n < 0 || n > MAX_RANDOM_BYTES) {
      throw new IllegalArgumentException("random bytes: " + n + " is not 0 to " + MAX_RANDOM_BYTES);
    }
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    char[] chars = new char[n];
    for (int i = 0; i < n; i++) {
      chars[i] = (char) (bytes[i] & 0xff);
    }
    return new String(chars);
  }

  void addTo(HostObject host) {
    host.with(
            "log",
            args -> {
              log(args[0].asString(), args[1].asString());
              return null;
            })
        .with("randomBytes", args -> randomBytes(args[0].asInt()));
  }
}
