package dev.dormouse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A {@link LoadClient} in a JVM of its own, driven one command at a time. */
final class ClientProcess implements AutoCloseable {

  private final Process process;
  private final Writer commands;
  private final BufferedReader answers;

  private ClientProcess(Process process) {
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /**
   * Starts the client on this JVM's class path. Parallel GC with a roomy young generation keeps
   * the client's own pauses short and rare; they would count as server latency otherwise.
   */
  static ClientProcess start(int loops) throws IOException {
    return start(
        List.of("-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"), LoadClient.class, String.valueOf(loops));
  }

  /**
   * Any main class of this class path that speaks the same protocol (a command a line, an {@code
   * ok ...} or {@code error ...} line back) in a JVM with {@code flags}.
   */
  static ClientProcess start(List<String> flags, Class<?> main, String... args) throws IOException {
    return new ClientProcess(javaProcess(flags, main, args).start());
  }

  /** A JVM on this JVM's class path running {@code main}; its stderr goes to ours. */
  static ProcessBuilder javaProcess(List<String> jvmFlags, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
  }

  long pid() {
    return process.pid();
  }

  /** Sends one command and returns the answer's key=value pairs; throws on an error answer. */
  Map<String, String> call(String command) throws IOException {
    commands.write(command + "\n");
    commands.flush();
    String answer = answers.readLine();
    if (answer == null) {
      throw new IOException("load client exited (command " + command + ")");
    }
    if (!answer.startsWith("ok")) {
      throw new IOException("load client: " + answer + " (command " + command + ")");
    }
    Map<String, String> values = new HashMap<>();
    for (String pair : answer.substring(2).trim().split(" ")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return values;
  }

  @Override
  public void close() throws IOException {
    // A server JVM's own children (its embedded redis-server) outlive it if it must be killed.
    List<ProcessHandle> children = process.descendants().toList();
    try {
      commands.write("quit\n");
      commands.close();
    } catch (IOException ignored) {
      // Already gone.
    }
    awaitExit(process);
    children.forEach(ProcessHandle::destroyForcibly);
  }

  /** Gives a process told to end 10 s to do so, then kills it. */
  static void awaitExit(Process process) {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
