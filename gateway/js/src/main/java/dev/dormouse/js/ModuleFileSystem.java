package dev.dormouse.js;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * All a room's code may see of files: read-only, the room library folder's files as {@link
 * ModuleFiles} keeps them, and the module {@code cloudflare:workers}, which is Dormouse's own. The
 * engine reads modules through it; the code itself has no file API.
 */
final class ModuleFileSystem implements FileSystem {

  static final String WORKERS_SPECIFIER = "cloudflare:workers";

  /** Where {@code cloudflare:workers} seems to be: outside the folder, so no file can stand for it. */
  static final Path WORKERS_PATH = Path.of("/.dormouse/cloudflare-workers.mjs");

  private static final byte[] WORKERS_MODULE = resource("runtime/cloudflare-workers.mjs");

  private final ModuleFiles files;

  ModuleFileSystem(ModuleFiles files) {
    this.files = files;
  }

  @Override
  public Path parsePath(URI uri) {
    if (uri.toString().equals(WORKERS_SPECIFIER)) {
      return WORKERS_PATH;
    }
    if (!"file".equals(uri.getScheme())) {
      throw new UnsupportedOperationException(
          "cannot import " + uri + ": only relative paths and " + WORKERS_SPECIFIER);
    }
    return Path.of(uri);
  }

  @Override
  public Path parsePath(String path) {
    return path.equals(WORKERS_SPECIFIER) ? WORKERS_PATH : Path.of(path);
  }

  @Override
  public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions)
      throws IOException {
    if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
      throw new AccessDeniedException(path.toString(), null, "read-only");
    }
    real(path);
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    throw new AccessDeniedException(dir.toString(), null, "read-only");
  }

  @Override
  public void delete(Path path) throws IOException {
    throw new AccessDeniedException(path.toString(), null, "read-only");
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    for (OpenOption option : options) {
      if (option != StandardOpenOption.READ) {
        throw new AccessDeniedException(path.toString(), null, "read-only");
      }
    }
    Path real = real(path);
    return new ReadOnlyChannel(real.equals(WORKERS_PATH) ? WORKERS_MODULE : files.bytes(real));
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    throw new AccessDeniedException(dir.toString(), null, "folders cannot be listed");
  }

  @Override
  public Path toAbsolutePath(Path path) {
    return path.isAbsolute() ? path : files.root().resolve(path);
  }

  @Override
  public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
    return real(path);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    Path real = real(path);
    if (!real.equals(WORKERS_PATH)) {
      return Files.readAttributes(real, attributes, options);
    }
    Map<String, Object> attrs = new HashMap<>();
    FileTime epoch = FileTime.fromMillis(0);
    attrs.put("size", (long) WORKERS_MODULE.length);
    attrs.put("isRegularFile", true);
    attrs.put("isDirectory", false);
    attrs.put("isSymbolicLink", false);
    attrs.put("isOther", false);
    attrs.put("lastModifiedTime", epoch);
    attrs.put("lastAccessTime", epoch);
    attrs.put("creationTime", epoch);
    attrs.put("fileKey", null);
    return attrs;
  }

  private Path real(Path path) throws IOException {
    return path.equals(WORKERS_PATH) ? WORKERS_PATH : files.resolve(path);
  }

  static byte[] resource(String name) {
    try (InputStream in = ModuleFileSystem.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("dormouse-js.jar lacks its resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
