package dev.dormouse.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import java.util.stream.LongStream;

/**
 * Server processes other than this JVM (the Node process of Socket.IO, workerd, the Dormouse
 * server's redis-server): their CPU time and resident memory from /proc, and stopping them.
 */
final class ServerProcesses {

  /** USER_HZ: the unit of /proc/PID/stat's times, 100 on every Linux the harness runs on. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private ServerProcesses() {}

  /** User plus system CPU time of the process, all its threads. */
  static long cpuNanos(long pid) {
    String stat = read(Path.of("/proc", String.valueOf(pid), "stat"));
    // The command name (field 2) may hold spaces: count fields from its closing parenthesis.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
    return ticks * NANOS_PER_TICK;
  }

  /** VmRSS: the process's resident memory (heap, code, stacks, direct buffers alike). */
  static long rssBytes(long pid) {
    return read(Path.of("/proc", String.valueOf(pid), "status"))
        .lines()
        .filter(line -> line.startsWith("VmRSS:"))
        .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no VmRSS for process " + pid));
  }

  /** The redis-server processes this JVM started (the Dormouse server's embedded Redis). */
  static long[] redisChildren() {
    return ProcessHandle.current()
        .children()
        .filter(child -> child.info().command().orElse("").contains("redis-server"))
        .mapToLong(ProcessHandle::pid)
        .toArray();
  }

  static long sum(long[] pids, LongUnaryOperator probe) {
    return LongStream.of(pids).map(probe).sum();
  }

  /** Asks the process to end, and kills it if it has not within 5 s. */
  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
