package dev.dormouse.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code java -jar target/dormouse.jar ROLE} as a real process, its output kept for the test. */
public final class DormouseProcess implements AutoCloseable {

  private final Process process;
  private final BlockingQueue<String> unread = new LinkedBlockingQueue<>();
  private final List<String> all = new CopyOnWriteArrayList<>();

  private DormouseProcess(Process process) {
    this.process = process;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        in.lines().forEach(line -> {
          all.add(line);
          unread.add(line);
        });
      } catch (IOException e) {
        unread.add("read failed: " + e);
      }
    });
    reader.setDaemon(true);
    reader.start();
  }

  public static DormouseProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-jar",
        Path.of(System.getProperty("dormouse.jar", "../target/dormouse.jar")).toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
    builder.environment().remove("REDIS_URL");
    builder.environment().putAll(env);
    return new DormouseProcess(builder.start());
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Waits for an output line matching {@code pattern}; fails with everything printed so far. */
  public Matcher awaitLine(Pattern pattern) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String line = unread.poll(1, TimeUnit.SECONDS);
      if (line != null) {
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
          return matcher;
        }
      }
      if (!process.isAlive() && unread.isEmpty()) {
        break;
      }
    }
    throw new AssertionError("no line matching " + pattern + " in:\n" + output());
  }

  public String output() {
    return String.join("\n", all);
  }

  public Process process() {
    return process;
  }

  /** SIGKILL: no drain, no goodbye, exactly as a crashed pod. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
