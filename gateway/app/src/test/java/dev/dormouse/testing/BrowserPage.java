package dev.dormouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A page in headless Chromium (Debian's {@code chromium}) driven by Playwright ({@code
 * playwright-core} from npm, installed into {@code target/playwright} on first use) through a Node
 * script run as a process: each call is one command line to it and one answer line back.
 */
public final class BrowserPage implements AutoCloseable {

  /** The version of {@code playwright-core} installed: one {@code npm view playwright-core versions} lists. */
  static final String PLAYWRIGHT = "playwright-core@1.65.1";

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DIR = Path.of("target", "playwright").toAbsolutePath();
  static final Duration WAIT = Duration.ofSeconds(15);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process node;
  private final BufferedWriter commands;
  private final BufferedReader answers;
  private final Path log;

  private BrowserPage(Process node, Path log) {
    this.node = node;
    this.log = log;
    this.commands =
        new BufferedWriter(new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8));
    this.answers =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Opens {@code url}; skips the test when Chromium is missing and cannot be installed (not root). */
  public static BrowserPage open(URI url) throws IOException, InterruptedException {
    ensureChromium();
    ensurePlaywright();
    Path script = DIR.resolve("admin-page-driver.mjs");
    try (InputStream in =
        BrowserPage.class.getResourceAsStream("/playwright/admin-page-driver.mjs")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path log = DIR.resolve("driver.log");
    Process node =
        new ProcessBuilder("node", script.toString(), url.toString(), CHROMIUM.toString())
            .directory(DIR.toFile())
            .redirectError(log.toFile())
            .start();
    BrowserPage page = new BrowserPage(node, log);
    page.expect("ready");
    return page;
  }

  private static void ensureChromium() throws IOException, InterruptedException {
    if (Files.isExecutable(CHROMIUM)) {
      return;
    }
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "skipped: no " + CHROMIUM + ", and only root may apt-get install -y chromium");
    run(List.of("apt-get", "install", "-y", "chromium"), Path.of("."));
    assertThat(CHROMIUM).as("installed by apt-get").isExecutable();
  }

  private static void ensurePlaywright() throws IOException, InterruptedException {
    if (Files.exists(DIR.resolve("node_modules/playwright-core/package.json"))) {
      return;
    }
    Files.createDirectories(DIR);
    run(
        List.of(
            "npm",
            "install",
            "--no-save",
            "--no-package-lock",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--prefix",
            DIR.toString(),
            PLAYWRIGHT),
        DIR);
  }

  private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(5, TimeUnit.MINUTES) && process.exitValue() == 0)
        .as("%s:%n%s", String.join(" ", command), output)
        .isTrue();
  }

  /** Waits until an element matching {@code selector} holds {@code text}. */
  public void waitFor(String selector, String text) {
    send(Map.of("op", "waitFor", "selector", selector, "text", text, "timeout", WAIT.toMillis()));
  }

  public void click(String selector) {
    send(Map.of("op", "click", "selector", selector, "timeout", WAIT.toMillis()));
  }

  public void screenshot(Path path) {
    send(Map.of("op", "screenshot", "path", path.toAbsolutePath().toString()));
  }

  private void send(Map<String, Object> command) {
    try {
      commands.write(JSON.writeValueAsString(command));
      commands.newLine();
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    expect("ok");
  }

  private void expect(String answer) {
    String line;
    try {
      line = answers.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(line).as("the driver's answer; its log:%n%s", driverLog()).isNotNull();
    assertThat(line).as("the driver's answer; its log:%n%s", driverLog()).startsWith(answer);
  }

  private String driverLog() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      commands.write("{\"op\":\"close\"}");
      commands.newLine();
      commands.flush();
    } catch (IOException alreadyGone) {
      // The driver ended on its own; it is destroyed below either way.
    }
    if (!node.waitFor(10, TimeUnit.SECONDS)) {
      node.destroyForcibly();
    }
  }
}
