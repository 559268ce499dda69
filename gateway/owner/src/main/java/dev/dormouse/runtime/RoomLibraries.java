package dev.dormouse.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Custom room code: every jar in a folder, loaded beside dormouse.jar (which {@code java -jar} would
 * not let a {@code -cp} add to). A missing folder simply means no custom rooms.
 */
public final class RoomLibraries {

  private RoomLibraries() {
  }

  public static ClassLoader load(Path dir, ClassLoader parent) {
    if (!Files.isDirectory(dir)) {
      return parent;
    }
    List<Path> jars;
    try (Stream<Path> files = Files.list(dir)) {
      jars = files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list room libraries in " + dir, e);
    }
    if (jars.isEmpty()) {
      return parent;
    }
    URL[] urls = jars.stream().map(RoomLibraries::url).toArray(URL[]::new);
    return new URLClassLoader("rooms", urls, parent);
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException(jar.toString(), e);
    }
  }
}
