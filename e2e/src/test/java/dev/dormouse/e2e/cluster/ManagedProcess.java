package dev.dormouse.e2e.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar JAR ARGS} as a real process; stdout and stderr go to one file under e2e-logs. */
public final class ManagedProcess implements AutoCloseable {

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  public static ManagedProcess start(String name, Path jar, Map<String, String> env, String... args) throws IOException {
    Path log = ProcessLogs.file(name);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    // Nothing of the developer's environment leaks in: no kubeconfig, no Redis, no Dormouse settings.
    builder.environment().keySet().removeIf(k -> k.startsWith("DORMOUSE_") || k.startsWith("KUBERNETES_")
        || k.equals("KUBECONFIG") || k.equals("REDIS_URL") || k.equals("HOSTNAME"));
    builder.environment().putAll(env);
    Files.writeString(log, "### " + String.join(" ", command) + "\n### env " + new java.util.TreeMap<>(env) + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    return new ManagedProcess(name, builder.start(), log);
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL: no drain, no goodbye, as a crashed pod or a lost node. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, then SIGKILL once {@code grace} has passed, as the kubelet does. */
  public void terminate(Duration grace) {
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /**
   * That the process exited, with its status and the end of its log: the harness's processes start
   * before any scenario runs, so no scenario's failure would print their logs.
   */
  public String exitReport() {
    String report = name + " exited" + (process.isAlive() ? "" : " with status " + process.exitValue()) + "; see " + log;
    try {
      return report + "\n" + ProcessLogs.tail(log);
    } catch (IOException e) {
      return report + " (unreadable: " + e + ")";
    }
  }

  /**
   * The first group of the first log line matching {@code pattern}, waiting for it until
   * {@code timeout}: how a process that bound port 0 tells which port it got.
   */
  public String awaitLogLine(Pattern pattern, Duration timeout) throws IOException,
      InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(exitReport());
      }
      for (String line : Files.readAllLines(log)) {
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
          return matcher.group(1);
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no line matching " + pattern + " in " + log + " within " + timeout);
  }

  public void onExit(Runnable action) {
    process.onExit().thenRun(action);
  }

  @Override
  public void close() {
    terminate(Duration.ofSeconds(10));
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
