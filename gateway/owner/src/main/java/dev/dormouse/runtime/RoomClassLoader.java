package dev.dormouse.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/** The room jars of a lib folder, seeing one another, the room API and the Java platform. */
final class RoomClassLoader extends URLClassLoader {

  static {
    registerAsParallelCapable();
  }

  RoomClassLoader(URL[] jars, ClassLoader dormouse) {
    super("rooms", jars, new RoomApiOnlyClassLoader(dormouse));
  }

  /**
   * Checks that every class the handler reaches inside the room jars names only classes a room can see,
   * so a room built against Dormouse's internals is refused at load, not at its first event.
   *
   * @throws IllegalArgumentException naming the handler, the class and what it uses
   */
  void checkReachable(String handler) {
    Set<String> seen = new HashSet<>(Set.of(handler));
    Deque<String> pending = new ArrayDeque<>();
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
      }
    }
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
