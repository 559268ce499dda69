package dev.dormouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What Linux says of a process by its id: resident memory, file descriptors (open, and the soft
 * limit on them) — and, for a JVM, its heap histogram through {@code jcmd}.
 */
final class ProcessMemory {

  private ProcessMemory() {}

  /**
   * VmRSS from {@code /proc/PID/status}: every resident page — a JVM's heap as far as touched,
   * direct buffers, thread stacks, metaspace, code — in bytes.
   */
  static long rss(long pid) throws IOException {
    return statusField(pid, "VmRSS:") * 1024;
  }

  /** The soft limit on open files (ulimit -n) the process runs with. */
  static long openFilesLimit(long pid) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "limits"))) {
      String line = lines.filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow();
      return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
    }
  }

  static long openFiles(long pid) throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
      return fds.count();
    }
  }

  /** The first {@code lines} lines of {@code jcmd PID GC.class_histogram} (it runs a full GC). */
  static List<String> histogram(long pid, int lines) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), String.valueOf(pid), "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    List<String> head;
    try (var out = process.inputReader()) {
      head = out.lines().skip(1).limit(lines).toList(); // the first line is jcmd's "PID:"
      out.transferTo(java.io.Writer.nullWriter());
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    return head;
  }

  private static long statusField(long pid, String field) throws IOException {
    try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
      String line = lines.filter(l -> l.startsWith(field)).findFirst().orElseThrow();
      return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
    }
  }
}
