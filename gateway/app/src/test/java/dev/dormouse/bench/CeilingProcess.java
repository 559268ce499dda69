package dev.dormouse.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link CeilingServer} in a JVM of its own, with the heap and collector the product's server JVM
 * gets (so neither shares a heap with the client nor has an edge of its own there).
 */
final class CeilingProcess implements AutoCloseable {

  private final Process process;
  private final Writer commands;
  private final BufferedReader answers;
  private final int port;

  private CeilingProcess(Process process, BufferedReader answers, int port) {
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.answers = answers;
    this.port = port;
  }

  static CeilingProcess start(int threads) throws IOException {
    Process process =
        ClientProcess.javaProcess(
                List.of("-Xms2g", "-Xmx2g"), CeilingServer.class, String.valueOf(threads))
            .start();
    BufferedReader answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      return new CeilingProcess(process, answers, Integer.parseInt(value(answers, "port")));
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  String ws(String path) {
    return "ws://127.0.0.1:" + port + path;
  }

  long pid() {
    return process.pid();
  }

  /** CPU time the server's JVM has used so far. */
  long cpuNanos() throws IOException {
    commands.write("cpu\n");
    commands.flush();
    return Long.parseLong(value(answers, "cpuNs"));
  }

  /** The next line's value of {@code key=value}, waited for at most 20 s. */
  private static String value(BufferedReader answers, String key) throws IOException {
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> readLine(answers));
    String answer;
    try {
      answer = line.get(20, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IOException("ceiling server gave no " + key + " within 20 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (answer == null || !answer.startsWith(key + "=")) {
      throw new IOException("ceiling server: expected " + key + ", got " + answer);
    }
    return answer.substring(key.length() + 1);
  }

  private static String readLine(BufferedReader answers) {
    try {
      return answers.readLine();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      commands.close();
    } catch (IOException ignored) {
      // Already gone.
    }
    ClientProcess.awaitExit(process);
  }
}
