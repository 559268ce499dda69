package dev.dormouse.e2e.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Every harness process writes to {@code target/e2e-logs/NAME.log}. As a JUnit extension, prints the
 * tail of each of them when a scenario fails, so a red build explains itself.
 */
public final class ProcessLogs implements TestWatcher {

  private static final int TAIL_LINES = 80;

  public static Path dir() {
    Path dir = Path.of(System.getProperty("dormouse.e2eLogs", "target/e2e-logs"));
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path file(String name) throws IOException {
    Path file = dir().resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    return file;
  }

  /** Empties the folder, once per run of the harness. */
  static void clear() throws IOException {
    try (Stream<Path> files = Files.list(dir())) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    StringBuilder out =
        new StringBuilder(
            "\n===== e2e process logs after the failure of "
                + context.getDisplayName()
                + " (full files in "
                + dir().toAbsolutePath()
                + ") =====\n");
    try (Stream<Path> files = Files.list(dir())) {
      for (Path file : files.sorted().toList()) {
        out.append(tail(file));
      }
    } catch (IOException | UncheckedIOException e) {
      out.append("could not read the logs: ").append(e).append('\n');
    }
    System.out.println(out);
  }

  /** The last lines of one process's log, headed by its name. */
  static String tail(Path file) throws IOException {
    List<String> lines =
        new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
    StringBuilder out =
        new StringBuilder("----- ")
            .append(file.getFileName())
            .append(" (last ")
            .append(Math.min(TAIL_LINES, lines.size()))
            .append(" of ")
            .append(lines.size())
            .append(" lines)\n");
    lines
        .subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())
        .forEach(line -> out.append(line).append('\n'));
    return out.toString();
  }
}
