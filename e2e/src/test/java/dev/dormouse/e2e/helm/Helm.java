package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the helm 4 binary the build installed against the chart in helm/dormouse. */
public final class Helm {

  static final String RELEASE = "rooms";
  static final String NAMESPACE = "dormouse-system";

  /** Prefix of every object name for {@link #RELEASE}. */
  public static final String FULLNAME = RELEASE + "-dormouse";

  static final Path CHART =
      Path.of(System.getProperty("dormouse.chart", "../helm/dormouse"))
          .toAbsolutePath()
          .normalize();
  private static final Path BINARY =
      Path.of(System.getProperty("dormouse.helm", "target/tools/bin/helm"));

  /** Keeps helm away from the user's ~/.config/helm and ~/.cache/helm (repositories, plugins). */
  private static final Path HOME = Path.of("target", "helm-home").toAbsolutePath();

  record Result(int exitCode, String stdout, String stderr) {}

  private Helm() {}

  static Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(BINARY.toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HELM_CONFIG_HOME", HOME.resolve("config").toString());
    builder.environment().put("HELM_CACHE_HOME", HOME.resolve("cache").toString());
    builder.environment().put("HELM_DATA_HOME", HOME.resolve("data").toString());
    try {
      Files.createDirectories(HOME);
      Process process = builder.start();
      CompletableFuture<String> stdout = readAsync(process.getInputStream());
      CompletableFuture<String> stderr = readAsync(process.getErrorStream());
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("helm did not finish in 60 s: " + command);
      }
      return new Result(process.exitValue(), stdout.join(), stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot run " + BINARY + " (installed by the e2e build into target/tools/bin)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code helm template} of the chart with each "key=value" passed as --set; extra flags before the sets. */
  static Result templateResult(List<String> flags, String... sets) {
    return templateIn(NAMESPACE, flags, List.of(sets));
  }

  private static Result templateIn(String namespace, List<String> flags, List<String> sets) {
    List<String> args =
        new ArrayList<>(List.of("template", RELEASE, CHART.toString(), "--namespace", namespace));
    args.addAll(flags);
    for (String set : sets) {
      args.add("--set");
      args.add(set);
    }
    return run(args);
  }

  /** Renders the chart and fails the test, with helm's message, if rendering fails. */
  static Rendered template(String... sets) {
    Result result = templateResult(List.of(), sets);
    assertThat(result.exitCode())
        .as("helm template %s failed:%n%s", List.of(sets), result.stderr())
        .isZero();
    return Rendered.parse(result.stdout());
  }

  /**
   * The chart rendered as release {@value #RELEASE} into {@code namespace} with each "key=value" as
   * --set, for the cluster harness's container mode; fails with helm's message if rendering fails.
   */
  public static Rendered template(String namespace, List<String> sets) {
    Result result = templateIn(namespace, List.of(), sets);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("helm template " + sets + " failed:\n" + result.stderr());
    }
    return Rendered.parse(result.stdout());
  }

  /** Renders the chart expecting a failure, and returns helm's error output. */
  static String templateError(String... sets) {
    Result result = templateResult(List.of(), sets);
    assertThat(result.exitCode())
        .as("helm template %s should fail, rendered:%n%s", List.of(sets), result.stdout())
        .isNotZero();
    return result.stderr();
  }

  private static CompletableFuture<String> readAsync(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
