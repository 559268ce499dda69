package dev.dormouse.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Custom room code: every jar in a folder, loaded beside dormouse.jar (which {@code java -jar} would
 * not let a {@code -cp} add to) by a class loader that shows them only the room API and the JDK. A
 * missing or empty folder simply means no custom rooms: handlers are then looked up in Dormouse's own.
 */
public final class RoomLibraries {

  private RoomLibraries() {}

  /** @param dormouse the loader of Dormouse itself, whose room API classes the rooms share */
  public static ClassLoader load(Path dir, ClassLoader dormouse) {
    if (!Files.isDirectory(dir)) {
      return dormouse;
    }
    List<Path> jars;
    try (Stream<Path> files = Files.list(dir)) {
      jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list room libraries in " + dir, e);
    }
    if (jars.isEmpty()) {
      return dormouse;
    }
    return new RoomClassLoader(jars.stream().map(RoomLibraries::url).toArray(URL[]::new), dormouse);
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(jar.toString(), e);
    }
  }
}
