package dev.dormouse.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One container of the image under test, run as the chart runs a pod: host network (the only kind
 * these machines allow), UID 10001 from the image, read-only root with a writable /tmp, a memory
 * limit; driven through the {@code docker} command line.
 */
final class BenchContainer implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final String name;
  private final long startedNanos;

  private BenchContainer(String name, long startedNanos) {
    this.name = name;
    this.startedNanos = startedNanos;
  }

  /** {@code docker run -d} of {@code image} with {@code env}, {@code mounts} (host:container:ro) and {@code args}. */
  static BenchContainer run(
      String name,
      String image,
      String memoryLimit,
      Map<String, String> env,
      List<String> mounts,
      String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "docker",
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "host",
                "--read-only",
                "--tmpfs",
                "/tmp:exec",
                "--memory",
                memoryLimit));
    env.forEach((key, value) -> command.addAll(List.of("-e", key + "=" + value)));
    mounts.forEach(mount -> command.addAll(List.of("-v", mount)));
    command.add(image);
    command.addAll(List.of(args));
    long started = System.nanoTime();
    docker(command);
    return new BenchContainer(name, started);
  }

  /** Waits until {@code url} answers 200 and returns the time since {@code docker run} began. */
  Duration awaitOk(URI url, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<Void> response =
            HTTP.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return Duration.ofNanos(System.nanoTime() - startedNanos);
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (!running()) {
        throw new IOException(name + " exited before " + url + " answered:\n" + logs());
      }
      TimeUnit.MILLISECONDS.sleep(20); // polling a probe, as the kubelet does
    }
    throw new IOException(name + ": no 200 from " + url + " within " + timeout + "\n" + logs());
  }

  /** The container's memory as {@code docker stats} and a pod's working set count it, in bytes. */
  long memory() throws IOException, InterruptedException {
    String usage =
        docker(List.of("docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", name))
            .split("/")[0]
            .trim();
    return parseSize(usage);
  }

  /** "123.4MiB", "1.2GiB", "512KiB", "100B" (docker's units) in bytes. */
  static long parseSize(String size) {
    String[][] units = {{"GiB", "1073741824"}, {"MiB", "1048576"}, {"KiB", "1024"}, {"B", "1"}};
    for (String[] unit : units) {
      if (size.endsWith(unit[0])) {
        double value = Double.parseDouble(size.substring(0, size.length() - unit[0].length()));
        return (long) (value * Long.parseLong(unit[1]));
      }
    }
    throw new IllegalArgumentException("not a docker size: " + size);
  }

  static long imageSize(String image) throws IOException, InterruptedException {
    return Long.parseLong(
        docker(List.of("docker", "image", "inspect", "-f", "{{.Size}}", image)).trim());
  }

  private boolean running() throws IOException, InterruptedException {
    return docker(List.of("docker", "inspect", "-f", "{{.State.Running}}", name))
        .trim()
        .equals("true");
  }

  String logs() throws IOException, InterruptedException {
    return docker(List.of("docker", "logs", "--tail", "40", name));
  }

  private static String docker(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    docker(List.of("docker", "rm", "-f", name));
  }
}
