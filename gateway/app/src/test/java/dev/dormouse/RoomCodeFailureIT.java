package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.testing.FailingCodeLoader;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.SoleCodeLoaderClassPath;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room whose code fails to load, through a real local run (real sockets, the loopback link, the
 * owner's runtime, Redis), its loader found on the class path as the JavaScript engine's is: the owner
 * starts and stays ready for its other rooms, the broken room's clients are refused with the error
 * at once (no activation is tried, so no wake timeout is waited out), and the owner's activity report
 * says why, for the operator to show.
 */
class RoomCodeFailureIT {

  private static final String FILE = "chat/room.mjs";
  private static final String REFUSAL =
      "room code failed to load: " + FailingCodeLoader.error(FILE);

  /** Far longer than a refusal may take: a refusal that waited for the room would show. */
  private static final Duration WAKE_TIMEOUT = Duration.ofSeconds(30);

  private static LocalRunFixture dormouse;

  @BeforeAll
  static void start(@TempDir Path classPath) throws IOException {
    // The local run finds its code loaders on the thread's context class loader, as Main's would.
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(new SoleCodeLoaderClassPath(FailingCodeLoader.class, classPath));
    try {
      dormouse =
          LocalRunFixture.start(
              WAKE_TIMEOUT,
              LocalRunFixture.room("broken", "js:" + FILE + "#ChatRoom", "instances: true"),
              LocalRunFixture.room("echo", "echo", ""));
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  @Test
  void anUpgradeIsRefused503WithTheModulesErrorAtOnce() throws IOException {
    long started = System.nanoTime();
    try (RawWebSocket refused =
        RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/broken/a")) {
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.body()).isEqualTo(REFUSAL);
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void anHttpRequestIsAnswered503WithTheModulesError() {
    HttpResponse<String> answer = LocalRunFixture.get(dormouse.http("/rooms/broken/a/status"));
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).isEqualTo(REFUSAL);
  }

  @Test
  void theOwnerStaysReadyAndServesItsOtherRooms() {
    assertThat(LocalRunFixture.get(dormouse.admin("/readyz")).statusCode()).isEqualTo(200);
    WsClient client = WsClient.connect(dormouse.ws("/rooms/echo"));
    client.send("still here");
    assertThat(client.nextText()).isEqualTo("still here");
  }

  @Test
  void theOwnersActivityReportForTheRoomCarriesTheError() {
    ObjectMapper json = new ObjectMapper();
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              var reports =
                  dormouse.run().redis().sync().hgetall(RedisKeys.activity("default", "broken"));
              assertThat(reports).hasSize(1);
              JsonNode report = json.readTree(reports.values().iterator().next());
              assertThat(report.path("codeError").asText())
                  .isEqualTo(FailingCodeLoader.error(FILE));
              assertThat(report.path("activeInstances").asInt()).isZero();
            });
  }
}
