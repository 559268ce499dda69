package dev.dormouse.e2e.cluster;

import dev.dormouse.testing.ManagedProcess;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thing the harness runs for a pod or a component, read and stopped the same way whether it is a
 * process of a jar ({@link JarProcess}) or a container of an image ({@link DockerContainer}): its
 * output and exit are those of a local process ({@code java -jar}, or the attached {@code docker run}),
 * and {@link Signals} say how to stop what that process stands for.
 */
public final class Workload {

  /** How to kill or stop it: a process is signalled itself, a container through the engine. */
  interface Signals {
    void kill();

    void terminate(Duration grace);
  }

  private final ManagedProcess process;
  private final Signals signals;

  Workload(ManagedProcess process, Signals signals) {
    this.process = process;
    this.signals = signals;
  }

  /** A process that is the workload itself. */
  static Workload of(ManagedProcess process) {
    return new Workload(
        process,
        new Signals() {
          @Override
          public void kill() {
            process.kill();
          }

          @Override
          public void terminate(Duration grace) {
            process.terminate(grace);
          }
        });
  }

  public String name() {
    return process.name();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** All output so far, lines joined by newlines. */
  public String output() {
    return process.output();
  }

  /** The next output line matching {@code pattern}; fails when it does not come within {@code timeout}. */
  public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
    return process.awaitLine(pattern, timeout);
  }

  /** That it ended, with its status and last lines (for a failure message). */
  public String exitReport() {
    return process.exitReport();
  }

  /** Completes when it has ended, however it ended. */
  public CompletableFuture<Void> onExit() {
    return process.onExit();
  }

  /** SIGKILL: no drain, no goodbye, as a crashed pod or a lost node; returns once it has ended. */
  public void kill() {
    signals.kill();
  }

  /** SIGTERM, then SIGKILL once {@code grace} has passed, as the kubelet does. */
  public void terminate(Duration grace) {
    signals.terminate(grace);
  }
}
