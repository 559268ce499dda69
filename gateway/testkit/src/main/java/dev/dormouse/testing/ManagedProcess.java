package dev.dormouse.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java OPTIONS -jar JAR ARGS} (or another program) as a real process, for tests that kill,
 * stop and watch processes.
 * Its output (stdout and stderr) is kept for the test to wait on and, when asked, appended to a log
 * file. Nothing of the developer's environment leaks in: no kubeconfig, no Redis, no Dormouse settings.
 */
public final class ManagedProcess implements AutoCloseable {

  private static final Duration LINE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);
  private static final int REPORT_LINES = 80;

  private final String name;
  private final Process process;
  private final Path log;
  private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
  private final List<String> all = new CopyOnWriteArrayList<>();
  private volatile boolean outputEnded;

  private ManagedProcess(String name, Process process, Path log, BufferedWriter logWriter) {
    this.name = name;
    this.process = process;
    this.log = log;
    Thread reader = new Thread(() -> copyOutput(logWriter), name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** How to start {@code jar}; {@link Launcher#start} starts it. */
  public static Launcher java(Path jar) {
    return new Launcher(jar);
  }

  /** How to start {@code program} (e.g. a redis-server and its options); not a jar. */
  public static Launcher program(List<String> program) {
    return new Launcher(null).running(program);
  }

  /** The settings of one start: name, folder, log file, JVM options and environment. */
  public static final class Launcher {

    private final Path jar;
    private final List<String> program = new ArrayList<>();
    private final List<String> wrapper = new ArrayList<>();
    private String name = "process";
    private Path workDir = Path.of(".");
    private Path log;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> env = new TreeMap<>();

    private Launcher(Path jar) {
      this.jar = jar;
    }

    public Launcher named(String processName) {
      this.name = processName;
      return this;
    }

    public Launcher in(Path dir) {
      this.workDir = dir;
      return this;
    }

    /** Appends the command line and all output to {@code file}, which outlives the test. */
    public Launcher logTo(Path file) {
      this.log = file;
      return this;
    }

    private Launcher running(List<String> command) {
      program.addAll(command);
      return this;
    }

    /**
     * Starts the process through {@code command}, e.g. {@code ip netns exec NS}, which must exec it
     * (so that the process's pid and signals are the program's).
     */
    public Launcher inside(List<String> command) {
      wrapper.addAll(command);
      return this;
    }

    public Launcher jvm(String... options) {
      jvmOptions.addAll(List.of(options));
      return this;
    }

    public Launcher env(Map<String, String> variables) {
      env.putAll(variables);
      return this;
    }

    public ManagedProcess start(String... args) throws IOException {
      List<String> command = new ArrayList<>(wrapper);
      if (jar == null) {
        command.addAll(program);
      } else {
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(
            List.of(
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-jar",
                jar.toAbsolutePath().toString()));
      }
      command.addAll(List.of(args));
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
      builder
          .environment()
          .keySet()
          .removeIf(
              k ->
                  k.startsWith("DORMOUSE_")
                      || k.startsWith("KUBERNETES_")
                      || k.equals("KUBECONFIG")
                      || k.equals("REDIS_URL")
                      || k.equals("HOSTNAME"));
      builder.environment().putAll(env);
      BufferedWriter logWriter = null;
      if (log != null) {
        logWriter =
            Files.newBufferedWriter(
                log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        logWriter.write("### " + String.join(" ", command) + "\n### env " + env + "\n");
        logWriter.flush();
      }
      return new ManagedProcess(name, builder.start(), log, logWriter);
    }
  }

  private void copyOutput(BufferedWriter logFile) {
    try (BufferedWriter log = logFile;
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        all.add(line);
        unread.add(line);
        if (log != null) {
          log.write(line);
          log.newLine();
          log.flush();
        }
      }
    } catch (IOException e) {
      unread.add("read failed: " + e);
    } finally {
      outputEnded = true;
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for an output line matching {@code pattern}, up to a minute. */
  public Matcher awaitLine(Pattern pattern) throws InterruptedException {
    return awaitLine(pattern, LINE_TIMEOUT);
  }

  /**
   * Waits for the next output line matching {@code pattern} (lines an earlier wait passed over are not
   * seen again); fails with the end of the output when it does not come or the process exits first.
   */
  public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String line = unread.poll(100, TimeUnit.MILLISECONDS);
      if (line != null) {
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
          return matcher;
        }
      } else if (outputEnded && unread.isEmpty()) {
        throw new AssertionError("no line matching " + pattern + ": " + exitReport());
      }
    }
    throw new AssertionError(
        "no line matching " + pattern + " within " + timeout + " in:\n" + output());
  }

  public String output() {
    return String.join("\n", all);
  }

  /**
   * That the process exited, with its status and the end of its output: harness processes start before
   * any scenario runs, so no scenario's failure would print them.
   */
  public String exitReport() {
    List<String> lines = List.copyOf(all);
    return name
        + " exited"
        + (process.isAlive() ? "" : " with status " + process.exitValue())
        + (log == null ? "" : "; all its output is in " + log)
        + "; its last lines:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - REPORT_LINES), lines.size()));
  }

  /** Completes when the process has ended, however it ended. */
  public CompletableFuture<Void> onExit() {
    return process.onExit().thenApply(ended -> null);
  }

  /** SIGTERM without waiting: the test watches how the process ends. */
  public void sigterm() {
    process.destroy();
  }

  /** SIGKILL: no drain, no goodbye, as a crashed pod or a lost node. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM, then SIGKILL once {@code grace} has passed, as the kubelet does. */
  public void terminate(Duration grace) {
    sigterm();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /** Waits for the process to end by itself. */
  public boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public int exitValue() {
    return process.exitValue();
  }

  @Override
  public void close() {
    terminate(CLOSE_GRACE);
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
