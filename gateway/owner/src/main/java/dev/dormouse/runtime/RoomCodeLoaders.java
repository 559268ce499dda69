package dev.dormouse.runtime;

import dev.dormouse.room.spi.RoomCodeLoader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RoomCodeLoader}s on Dormouse's class path, by scheme. They are looked up there, not in
 * the room jars: a language's engine is part of the process (a jar beside {@code dormouse.jar}), while
 * room jars see only the room API.
 */
public final class RoomCodeLoaders {

  private static final Logger log = LoggerFactory.getLogger(RoomCodeLoaders.class);

  /** What to put beside dormouse.jar for a scheme Dormouse ships a loader for. */
  private static final Map<String, String> INSTALL =
      Map.of(
          "js",
          "JavaScript rooms need dormouse-js.jar and its js-lib/ folder beside dormouse.jar (the"
              + " owner image carries them; `mvn package` builds them into gateway/target)");

  private final Map<String, RoomCodeLoader> byScheme;

  RoomCodeLoaders(List<RoomCodeLoader> loaders) {
    Map<String, RoomCodeLoader> schemes = new TreeMap<>();
    for (RoomCodeLoader loader : loaders) {
      RoomCodeLoader before = schemes.putIfAbsent(loader.scheme(), loader);
      if (before != null) {
        throw new IllegalStateException(
            "two room code loaders for scheme "
                + loader.scheme()
                + ": "
                + before.getClass().getName()
                + " and "
                + loader.getClass().getName()
                + "; keep one of their jars");
      }
    }
    this.byScheme = schemes;
  }

  /**
   * The loaders {@code dormouse} finds. One whose jar is broken (its engine's jars missing, say) is
   * logged and left out, so its scheme's rooms fail as if it were absent, and the others still run.
   */
  public static RoomCodeLoaders on(ClassLoader dormouse) {
    List<RoomCodeLoader> found = new ArrayList<>();
    // The iterator, not a stream: after a provider that fails it goes on to the next one.
    Iterator<RoomCodeLoader> providers =
        ServiceLoader.load(RoomCodeLoader.class, dormouse).iterator();
    while (true) {
      try {
        if (!providers.hasNext()) {
          return new RoomCodeLoaders(found);
        }
        found.add(providers.next());
      } catch (ServiceConfigurationError | LinkageError e) {
        log.error("a room code loader cannot be used: {}", e.toString());
      }
    }
  }

  /**
   * The loader of {@code scheme}.
   *
   * @throws IllegalArgumentException saying what to install when this owner has none
   */
  RoomCodeLoader of(String scheme) {
    RoomCodeLoader loader = byScheme.get(scheme);
    if (loader != null) {
      return loader;
    }
    throw new IllegalArgumentException(
        "no room code loader for scheme '"
            + scheme
            + "' on this owner (it has "
            + (byScheme.isEmpty() ? "none" : String.join(", ", byScheme.keySet()))
            + "): "
            + INSTALL.getOrDefault(
                scheme,
                "put the jar of a "
                    + RoomCodeLoader.class.getName()
                    + " for it beside dormouse.jar"));
  }
}
