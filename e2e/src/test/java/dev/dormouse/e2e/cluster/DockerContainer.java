package dev.dormouse.e2e.cluster;

import dev.dormouse.testing.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running container: {@code docker run} attached, so that its output and exit are those of a local
 * process (logged under e2e-logs like every harness process); stopped and killed through the engine
 * ({@code docker stop -t}, {@code docker kill}), as a kubelet does, since signals to the attached
 * client would not reach the container. Run with {@code --rm}: an ended container leaves nothing.
 */
public final class DockerContainer {

  private final String name;
  private final Workload workload;

  private DockerContainer(String name, ManagedProcess attached) {
    this.name = name;
    this.workload =
        new Workload(
            attached,
            new Workload.Signals() {
              @Override
              public void kill() {
                signal(attached, "kill", name);
                awaitEnd(attached, Duration.ofSeconds(30));
              }

              @Override
              public void terminate(Duration grace) {
                signal(attached, "stop", "-t", Long.toString(grace.toSeconds()), name);
                awaitEnd(attached, grace.plusSeconds(30));
              }
            });
  }

  /** {@code docker run} with {@code runArgs} ({@link DockerRun#args}); the container is {@code name}. */
  static DockerContainer start(String name, List<String> runArgs) throws IOException {
    List<String> command = new ArrayList<>(List.of("docker", "run"));
    command.addAll(runArgs);
    return new DockerContainer(
        name, ManagedProcess.program(command).named(name).logTo(ProcessLogs.file(name)).start());
  }

  public String name() {
    return name;
  }

  public Workload workload() {
    return workload;
  }

  /** Memory in use as {@code docker stats --no-stream} reports it, e.g. "212.4MiB / 1GiB". */
  public String memory() {
    return docker("stats", "--no-stream", "--format", "{{.MemUsage}}", name).trim();
  }

  /** The image the running container was created from, as the engine has it. */
  public String image() {
    return docker("inspect", "--format", "{{.Config.Image}}", name).trim();
  }

  /** A container that ended meanwhile is gone (--rm): nothing left to signal. */
  private static void signal(ManagedProcess attached, String... args) {
    if (!attached.isAlive()) {
      return;
    }
    try {
      docker(args);
    } catch (IllegalStateException e) {
      if (attached.isAlive()) {
        throw e;
      }
    }
  }

  private static void awaitEnd(ManagedProcess attached, Duration atMost) {
    try {
      if (!attached.waitFor(atMost)) {
        throw new IllegalStateException(attached.name() + " still runs after " + atMost);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code docker tag}: the same image under a second name, as a release pushes a new tag. */
  public static void tag(String image, String newName) {
    docker("tag", image, newName);
  }

  /** Removes every container of a run (those its harness could not stop: a crashed test JVM's). */
  static void removeAll(String label) {
    String ids = docker("ps", "-aq", "--filter", "label=" + label).trim();
    if (!ids.isEmpty()) {
      List<String> command = new ArrayList<>(List.of("rm", "-f"));
      command.addAll(List.of(ids.split("\\s+")));
      docker(command.toArray(String[]::new));
    }
  }

  /** Runs the docker client to the end and returns its output; fails with it on a non-zero exit. */
  static String docker(String... args) {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
