package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.testing.DormouseProcess;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.SeedTranscript;
import dev.dormouse.testing.WsClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The seed as a user runs it: {@code java -jar gateway/target/dormouse.jar dev} in the repository,
 * a real process, with the JavaScript support found as {@code dormouse-js.jar} beside the jar and
 * the room files of examples/rooms as they ship (the seed's module found in the rooms folder, the
 * default lib folder). The workerd transcript comes out byte for byte, with the room's own 10 s idle
 * timeout really evicting it in the middle, seen in the process's metrics.
 */
class SeedDevProcessJsIT {

  static final Pattern RUNNING =
      Pattern.compile("ws://localhost:(\\d+)/websocket .*http://localhost:(\\d+)/metrics");

  static final Path JS_JAR = Path.of("../target/dormouse-js.jar");

  @Test
  void theSeedsOwnClassGivesTheWorkerdTranscriptInADevProcess() throws Exception {
    assertThat(JS_JAR).as("the JavaScript support, built beside dormouse.jar").exists();
    try (ManagedProcess process =
        DormouseProcess.start(
            Path.of("../..").toAbsolutePath(),
            Map.of(),
            "dev",
            "--port",
            "0",
            "--admin-port",
            "0",
            "--publish-port",
            "0",
            "--default-room",
            "seed")) {
      Matcher running = process.awaitLine(RUNNING);
      String port = running.group(1);
      URI metrics = URI.create("http://127.0.0.1:" + running.group(2) + "/metrics");

      List<String> transcript =
          SeedTranscript.record(
              new SeedTranscript.Target(
                  path ->
                      LocalRunFixture.get(URI.create("http://127.0.0.1:" + port + path))
                          .statusCode(),
                  path -> WsClient.connect(URI.create("ws://127.0.0.1:" + port + path)),
                  () -> {
                    double evictions = metric(metrics, "dormouse_evictions_total");
                    await()
                        .atMost(Duration.ofSeconds(30))
                        .until(
                            () ->
                                metric(metrics, "dormouse_evictions_total") > evictions
                                    && metric(metrics, "dormouse_instances_active") == 0);
                  }),
              WsClient.WAIT,
              WsClient.WAIT);

      assertThat(transcript).containsExactlyElementsOf(SeedTranscript.reference());
      assertThat(metric(metrics, "dormouse_revivals_total"))
          .as("the class was constructed again from Redis once")
          .isEqualTo(1);
    }
  }

  /** One unlabelled value of the process's Prometheus text. */
  static double metric(URI metrics, String name) {
    Matcher value =
        Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(LocalRunFixture.get(metrics).body());
    assertThat(value.find()).as(name + " in the metrics").isTrue();
    return Double.parseDouble(value.group(1));
  }
}
