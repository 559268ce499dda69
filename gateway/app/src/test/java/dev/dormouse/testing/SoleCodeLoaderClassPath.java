package dev.dormouse.testing;

import dev.dormouse.room.spi.RoomCodeLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * The test's class path as an owner's, except that its only {@link RoomCodeLoader} is the one given:
 * the JavaScript engine's (on this class path for the JavaScript tests) is not found, so a test can
 * serve {@code js:} handlers with a loader of its own.
 */
public final class SoleCodeLoaderClassPath extends ClassLoader {

  private static final String SERVICES = "META-INF/services/" + RoomCodeLoader.class.getName();

  private final URL services;

  /** @param dir where to write the services file that names {@code loader} */
  public SoleCodeLoaderClassPath(Class<? extends RoomCodeLoader> loader, Path dir) {
    super("sole-code-loader", SoleCodeLoaderClassPath.class.getClassLoader());
    try {
      Path file = dir.resolve(SERVICES);
      Files.createDirectories(file.getParent());
      Files.writeString(file, loader.getName() + "\n");
      services = file.toUri().toURL();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return name.equals(SERVICES)
        ? Collections.enumeration(List.of(services))
        : super.getResources(name);
  }
}
