package dev.dormouse.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The room jars of a lib folder, seeing one another, the room API and the Java platform. */
final class RoomClassLoader extends URLClassLoader {

  private static final Logger log = LoggerFactory.getLogger(RoomClassLoader.class);

  /**
   * Dormouse and the libraries it ships. A room jar that uses them without bundling them was built
   * against Dormouse's classpath: they are there in the process, but never for room code.
   */
  private static final List<String> PROCESS_PACKAGES =
      List.of(
          "dev.dormouse.",
          "io.lettuce.",
          "reactor.",
          "io.netty.",
          "io.undertow.",
          "org.xnio.",
          "org.jboss.",
          "io.fabric8.",
          "com.fasterxml.jackson.",
          "org.slf4j.",
          "io.micrometer.",
          "io.prometheus.");

  static {
    registerAsParallelCapable();
  }

  RoomClassLoader(URL[] jars, ClassLoader dormouse) {
    super("rooms", jars, new RoomApiOnlyClassLoader(dormouse));
  }

  /**
   * Checks the classes the handler reaches inside the room jars, so a room built against Dormouse's
   * classpath is refused at load, not at its first event. Only what is surely a mistake is refused:
   * using a class of Dormouse, or of a library Dormouse ships, that the jars do not bundle. Other
   * classes missing are often a bundled library's optional dependencies (Conscrypt for OkHttp,
   * log4j for Netty's logging), which it checks for before use; they are logged, not refused.
   *
   * @throws IllegalArgumentException naming the handler, the class and what it uses
   */
  void checkReachable(String handler) {
    Set<String> seen = new HashSet<>(Set.of(handler));
    Deque<String> pending = new ArrayDeque<>();
    List<String> missing = new ArrayList<>();
    if (findResource(resourceName(handler)) != null) {
      pending.push(handler);
    }
    while (!pending.isEmpty()) {
      String from = pending.pop();
      for (String used : references(from)) {
        if (!seen.add(used)) {
          continue;
        }
        if (findResource(resourceName(used)) != null) {
          pending.push(used);
        } else if (!visible(used)) {
          if (ofTheProcess(used)) {
            throw new IllegalArgumentException(
                "spec.handler: "
                    + handler
                    + " cannot be loaded: "
                    + from
                    + " uses "
                    + used
                    + ", which room code cannot see (rooms see only "
                    + RoomApiOnlyClassLoader.ROOM_API_PACKAGE
                    + ", the JDK and the jars in their lib folder)");
          }
          missing.add(used + " (used by " + from + ")");
        }
      }
    }
    if (!missing.isEmpty()) {
      log.warn(
          "spec.handler {}: room code cannot see these classes its jars use, so it fails if it "
              + "reaches them (optional dependencies of a bundled library, perhaps): {}",
          handler,
          missing);
    }
  }

  private static boolean ofTheProcess(String className) {
    return PROCESS_PACKAGES.stream().anyMatch(className::startsWith);
  }

  private Set<String> references(String className) {
    try (InputStream in = findResource(resourceName(className)).openStream()) {
      return ClassFileReferences.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + className + " from the room jars", e);
    }
  }

  private boolean visible(String className) {
    try {
      loadClass(className);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static String resourceName(String className) {
    return className.replace('.', '/') + ".class";
  }
}
