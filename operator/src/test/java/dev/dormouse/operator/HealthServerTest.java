package dev.dormouse.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.operator.admin.AdminApi;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthServerTest {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void probesAndMetrics() throws Exception {
    AtomicBoolean ready = new AtomicBoolean(false);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.counter("dormouse.test.things").increment();
    try (HealthServer server = new HealthServer(0, ready::get, registry, adminOff())) {
      server.start();

      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(503);
      ready.set(true);
      assertThat(get(server, "/readyz").statusCode()).isEqualTo(200);
      HttpResponse<String> metrics = get(server, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("dormouse_test_things_total 1.0");
    }
  }

  @Test
  void withoutAnAdminTokenThePageAndTheApiAreOffAndSayHowToTurnThemOn() throws Exception {
    try (HealthServer server =
        new HealthServer(
            0, () -> true, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), adminOff())) {
      server.start();

      for (String path : new String[] {"/", "/api/rooms", "/anything"}) {
        HttpResponse<String> off = get(server, path);
        assertThat(off.statusCode()).as(path).isEqualTo(404);
        assertThat(off.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(off.body())
            .contains(
                "the admin page and API are off: set DORMOUSE_ADMIN_TOKEN or"
                    + " DORMOUSE_ADMIN_TOKEN_FILE (at least 16 bytes) to turn them on");
      }
      assertThat(get(server, "/healthz").statusCode()).isEqualTo(200);
    }
  }

  /** The admin API of a config without a token: it watches nothing, so it needs no client. */
  private static AdminApi adminOff() throws Exception {
    return AdminApi.of(
        OperatorConfig.load(new String[0], Map.of(OperatorConfig.REDIS_URL, "redis://r:6379")),
        null);
  }

  private HttpResponse<String> get(HealthServer server, String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(5))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
