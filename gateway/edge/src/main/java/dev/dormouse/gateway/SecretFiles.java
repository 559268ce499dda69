package dev.dormouse.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Secrets as Kubernetes mounts them: one file per key, {@code <dir>/<secret name>/<key>}. Read on
 * each use so a rotated Secret takes effect without a restart; callers run off the I/O threads.
 */
public final class SecretFiles {

  private final Path dir;

  public SecretFiles(Path dir) {
    this.dir = dir;
  }

  public byte[] read(String name, String key) throws IOException {
    Path file = dir.resolve(name).resolve(key).normalize();
    if (!file.startsWith(dir.normalize())) {
      throw new IOException("secret reference escapes the secrets directory: " + name + "/" + key);
    }
    return Files.readAllBytes(file);
  }
}
