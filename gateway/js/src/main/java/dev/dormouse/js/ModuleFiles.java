package dev.dormouse.js;

import dev.dormouse.room.spi.RoomCodeException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of one loaded module: those of the room library folder it reads (itself and what it
 * imports), each read once and kept, so that every activation runs the code that was loaded even if
 * the folder changes meanwhile (a ConfigMap update), until the room is loaded again. Nothing outside
 * the folder is served, symbolic links included.
 */
final class ModuleFiles {

  private final Path root;
  private final Map<Path, byte[]> read = new ConcurrentHashMap<>();

  private ModuleFiles(Path root) {
    this.root = root;
  }

  static ModuleFiles in(Path libDir) throws RoomCodeException {
    try {
      return new ModuleFiles(libDir.toRealPath());
    } catch (IOException e) {
      throw new RoomCodeException("room library folder " + libDir + " cannot be read: " + e, e);
    }
  }

  Path root() {
    return root;
  }

  /**
   * The real path of {@code path} (relative ones against the folder).
   *
   * @throws java.nio.file.NoSuchFileException when it does not exist
   * @throws AccessDeniedException when it lies outside the folder
   */
  Path resolve(Path path) throws IOException {
    Path real = root.resolve(path).toRealPath();
    if (!real.startsWith(root)) {
      throw new AccessDeniedException(path.toString(), null, "outside the room library folder");
    }
    return real;
  }

  /** The bytes of the file at {@code real} (a path {@link #resolve} returned), read the first time. */
  byte[] bytes(Path real) throws IOException {
    byte[] kept = read.get(real);
    if (kept != null) {
      return kept;
    }
    byte[] fresh = Files.readAllBytes(real);
    byte[] earlier = read.putIfAbsent(real, fresh);
    return earlier != null ? earlier : fresh;
  }

  /** The path for messages: relative to the folder. */
  String name(Path real) {
    return root.relativize(real).toString().replace('\\', '/');
  }
}
