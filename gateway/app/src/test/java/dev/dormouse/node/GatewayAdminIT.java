package dev.dormouse.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.testing.EmbeddedRedisExtension;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.LocalRunFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway role's admin page and API over real HTTP (docs/admin.md): off without a token, every
 * request behind it with one; {@code /healthz}, {@code /readyz} and {@code /metrics} unchanged. The
 * static owner it lists never runs, so its room has no owner.
 */
@ExtendWith(EmbeddedRedisExtension.class)
class GatewayAdminIT {

  static final String TOKEN = "the-gateway-admin-token";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  record Answer(int status, String body, HttpResponse<String> raw) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  static Answer call(int port, String method, String path, String authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(15))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body(), response);
  }

  static Roles.Running gateway(
      EmbeddedRedis redis, Path dir, int adminPort, Map<String, String> more) throws Exception {
    Files.createDirectories(dir.resolve("rooms"));
    Files.writeString(
        dir.resolve("rooms/echo.yaml"), LocalRunFixture.room("echo", "echo", "instances: false\n"));
    Map<String, String> env = new HashMap<>();
    env.put("REDIS_URL", redis.url());
    env.put("DORMOUSE_LINK_SECRET", "a-link-secret-of-the-test");
    env.put("DORMOUSE_BIND_ADDRESS", "127.0.0.1");
    env.put("DORMOUSE_PORT", String.valueOf(FreePorts.any()));
    env.put("DORMOUSE_ADMIN_PORT", String.valueOf(adminPort));
    env.put("DORMOUSE_NAMESPACE", "default");
    env.put("DORMOUSE_OWNERS", "absent=127.0.0.1:" + FreePorts.any());
    env.put("DORMOUSE_ROOMS_DIR", dir.resolve("rooms").toString());
    env.put("HOSTNAME", "gateway-admin-it");
    // An owner whose link never comes up counts for this long: kept short, it leaves the ring soon.
    env.put("DORMOUSE_OWNER_LINK_GRACE", "100ms");
    env.putAll(more);
    return Roles.gateway(GatewaySettings.fromEnvironment(env));
  }

  @Test
  void withoutATokenThePageAndTheApiAreOffAndSayHowToTurnThemOn(
      EmbeddedRedis redis, @TempDir Path dir) throws Exception {
    int admin = FreePorts.any();
    try (Roles.Running running = gateway(redis, dir, admin, Map.of())) {
      for (String path : new String[] {"/", "/api/rooms", "/api/rooms/default/echo/_"}) {
        Answer off = call(admin, "GET", path, "Bearer " + TOKEN);
        assertThat(off.status()).as(path).isEqualTo(404);
        assertThat(off.json().get("error").asText())
            .as(path)
            .contains("off")
            .contains("DORMOUSE_ADMIN_TOKEN");
      }
      assertThat(call(admin, "POST", "/api/rooms/default/echo/_/wake", null).status())
          .isEqualTo(404);
      assertThat(call(admin, "GET", "/healthz", null).body()).isEqualTo("ok");
      assertThat(call(admin, "GET", "/readyz", null).status()).isEqualTo(200);
      assertThat(call(admin, "GET", "/metrics", null).body()).contains("dormouse_");
    }
  }

  @Test
  void withATokenEveryRequestNeedsIt(EmbeddedRedis redis, @TempDir Path dir) throws Exception {
    int admin = FreePorts.any();
    try (Roles.Running running =
        gateway(redis, dir, admin, Map.of("DORMOUSE_ADMIN_TOKEN", TOKEN))) {
      Answer none = call(admin, "GET", "/api/rooms", null);
      assertThat(none.status()).isEqualTo(401);
      assertThat(none.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(call(admin, "GET", "/api/rooms", "Bearer wrong-token-of-the-test").status())
          .isEqualTo(403);
      assertThat(call(admin, "GET", "/", null).status()).as("the page too").isEqualTo(401);
      assertThat(call(admin, "GET", "/?token=wrong-token-of-the-test", null).status())
          .isEqualTo(403);
      Answer page = call(admin, "GET", "/?token=" + TOKEN, null);
      assertThat(page.status()).isEqualTo(200);
      assertThat(page.body()).contains("admin.js");

      assertThat(call(admin, "GET", "/api/rooms", "Bearer " + TOKEN).status()).isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  !call(admin, "GET", "/api/rooms", "Bearer " + TOKEN)
                      .json()
                      .get("rooms")
                      .get(0)
                      .get("hasOwner")
                      .asBoolean());
      JsonNode echo =
          call(admin, "GET", "/api/rooms", "Bearer " + TOKEN).json().get("rooms").get(0);
      assertThat(echo.get("room").asText()).isEqualTo("echo");
      assertThat(echo.get("instances").get(0).get("state").asText()).isEqualTo("no owner");

      assertThat(call(admin, "POST", "/api/rooms/default/echo/_/wake", null).status())
          .isEqualTo(401);
      Answer wake = call(admin, "POST", "/api/rooms/default/echo/_/wake", "Bearer " + TOKEN);
      assertThat(wake.status()).isEqualTo(503);
      assertThat(wake.json().get("error").asText()).contains("no owner");
      assertThat(call(admin, "GET", "/healthz", null).body()).as("unchanged").isEqualTo("ok");
    }
  }
}
