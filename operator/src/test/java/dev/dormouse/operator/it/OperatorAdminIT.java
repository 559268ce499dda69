package dev.dormouse.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.operator.HealthServer;
import dev.dormouse.operator.OperatorConfig;
import dev.dormouse.operator.OperatorMain;
import dev.dormouse.operator.admin.AdminApi;
import dev.dormouse.operator.redis.RedisConnection;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.testing.EmbeddedRedisExtension;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.WebSocketRoomCrd;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's summary of all rooms over real HTTP on its health port, with the real operator
 * reconciling against the Kubernetes mock and a real Redis: what it lists, the token rule, the
 * page from the jar, and every refusal.
 */
@EnableKubernetesMockClient(crud = true)
@ExtendWith(EmbeddedRedisExtension.class)
class OperatorAdminIT {

  private static final String NS = "rooms";
  private static final String TOKEN = "operator-admin-token-for-tests";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static KubernetesClient client;

  private static RedisConnection redis;
  private static Operator operator;
  private static HealthServer health;

  @BeforeAll
  static void start(EmbeddedRedis embedded) throws Exception {
    WebSocketRoomCrd.install(client);
    redis = RedisConnection.connect(embedded.url(), Duration.ofSeconds(5));
    OperatorConfig config =
        OperatorConfig.load(
            new String[0],
            Map.of(
                OperatorConfig.REDIS_URL, embedded.url(),
                OperatorConfig.HEALTH_PORT, "0",
                OperatorConfig.RECONCILE_INTERVAL, "500ms",
                OperatorConfig.LEADER_ELECTION, "false",
                OperatorConfig.ADMIN_TOKEN, TOKEN));
    operator =
        OperatorMain.operator(
            config, client, redis, new SimpleMeterRegistry(), Clock.systemUTC(), false);
    health =
        new HealthServer(
            config.healthPort(),
            () -> true,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            AdminApi.of(config, client));
    health.start();
    operator.start();
  }

  @AfterAll
  static void stop() {
    if (health != null) {
      health.close();
    }
    if (operator != null) {
      operator.stop();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void everyRoomIsListedWithItsPhaseOwnersConnectionsInstancesAndLastActivity() throws Exception {
    long lastActivity = Instant.now().minusSeconds(30).toEpochMilli();
    redis
        .commands()
        .hset(
            RedisKeys.activity(NS, "busy"),
            "owner-x",
            "{\"activeInstances\":2,\"lastActivity\":"
                + lastActivity
                + ",\"updatedAt\":"
                + System.currentTimeMillis()
                + "}");
    redis
        .commands()
        .hset(RedisKeys.connectionCounts(NS, "busy"), Map.of("a", "2", "b", "2", "c", "1"));
    create("quiet");
    create("busy");

    WebSocketRoomStatus busy =
        await()
            .atMost(WAIT)
            .until(
                () -> status("busy"),
                s -> s != null && s.getConnections() != null && s.getConnections() == 5);
    JsonNode rooms =
        await()
            .atMost(WAIT)
            .until(
                () -> rooms(),
                listed ->
                    listed.size() == 2
                        && listed.get(0).path("connections").asLong() == 5
                        && listed.get(1).hasNonNull("phase"));

    JsonNode first = rooms.get(0);
    assertThat(first.get("namespace").asText()).isEqualTo(NS);
    assertThat(first.get("name").asText()).isEqualTo("busy");
    assertThat(first.get("phase").asText()).isEqualTo("Active");
    assertThat(first.get("instances").get("active").asInt()).isEqualTo(2);
    assertThat(first.get("instances").get("hibernated").asInt()).isEqualTo(1);
    assertThat(first.get("owners").get("desired").asInt()).isEqualTo(busy.getOwners().desired());
    assertThat(first.get("owners").get("ready").asInt()).isZero();
    assertThat(Instant.parse(first.get("lastActivity").asText()))
        .as("as the status has it, to the second")
        .isEqualTo(Instant.ofEpochMilli(lastActivity).truncatedTo(ChronoUnit.SECONDS));
    JsonNode second = rooms.get(1);
    assertThat(second.get("name").asText()).isEqualTo("quiet");
    assertThat(second.get("phase").asText()).isEqualTo("Hibernated");
    assertThat(second.get("connections").asLong()).isZero();
    assertThat(second.get("lastActivity").isNull()).isTrue();
  }

  @Test
  void theApiWantsTheTokenAsABearerTokenAndSaysSo() throws Exception {
    for (Optional<String> authorization :
        new Optional[] {
          Optional.empty(),
          Optional.of("Bearer not-the-operator-admin-token"),
          Optional.of("Basic " + TOKEN),
          Optional.of("Bearer")
        }) {
      HttpResponse<String> refused = get("/api/rooms", authorization);
      assertThat(refused.statusCode()).as("%s", authorization).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).contains("Bearer");
      assertThat(error(refused)).contains("Authorization: Bearer");
    }
    // Once the rooms are listed (503 until then), whatever the test order.
    await()
        .atMost(WAIT)
        .until(() -> get("/api/rooms", Optional.of("bearer " + TOKEN)).statusCode() == 200);
  }

  @Test
  void thePageComesFromTheJarWithoutTheTokenAndLoadsNothingFromElsewhere() throws Exception {
    HttpResponse<String> page = get("/", Optional.empty());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'"));
    assertThat(page.body()).contains("<title>Dormouse operator · rooms</title>", "api/rooms");
    assertThat(page.body()).doesNotContain("http://", "https://", "<link", "src=");
  }

  @Test
  void otherPathsAndMethodsAreRefusedAsJsonAndTheProbesAreUnchanged() throws Exception {
    HttpResponse<String> unknown = get("/api/instances", Optional.of("Bearer " + TOKEN));
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(error(unknown)).isEqualTo("no such path: /api/instances (the API is /api/rooms)");

    HttpResponse<String> post =
        HTTP.send(
            request("/api/rooms", Optional.of("Bearer " + TOKEN))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET");
    assertThat(error(post)).isEqualTo("POST is not allowed here; use GET");

    assertThat(get("/healthz", Optional.empty()).statusCode()).isEqualTo(200);
    assertThat(get("/metrics", Optional.empty()).statusCode()).isEqualTo(200);
  }

  @Test
  void untilTheRoomsAreListedTheApiAnswers503AndSaysWhy() throws Exception {
    // An API server nobody listens on: the summary's informers never get their first list.
    OperatorConfig config =
        OperatorConfig.load(
            new String[0],
            Map.of(
                OperatorConfig.REDIS_URL,
                "redis://127.0.0.1:6379",
                OperatorConfig.ADMIN_TOKEN,
                TOKEN));
    Config nowhere =
        new ConfigBuilder().withMasterUrl("http://127.0.0.1:" + FreePorts.any()).build();
    try (KubernetesClient unreachable = new KubernetesClientBuilder().withConfig(nowhere).build();
        HealthServer server =
            new HealthServer(
                0,
                () -> true,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                AdminApi.of(config, unreachable))) {
      server.start();
      HttpResponse<String> waiting =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/rooms"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(waiting.statusCode()).isEqualTo(503);
      assertThat(waiting.headers().firstValue("Retry-After")).contains("1");
      assertThat(error(waiting))
          .isEqualTo("the rooms are still being listed; try again in a moment");
    }
  }

  private static void create(String name) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    room.getSpec().getHibernation().setScaleToZeroAfter("1m");
    client.resource(room).create();
  }

  private static WebSocketRoomStatus status(String name) {
    WebSocketRoom room = client.resources(WebSocketRoom.class).inNamespace(NS).withName(name).get();
    return room == null ? null : room.getStatus();
  }

  /** The rooms of the test's namespace, as {@code GET /api/rooms} lists them. */
  private static JsonNode rooms() throws Exception {
    HttpResponse<String> response = get("/api/rooms", Optional.of("Bearer " + TOKEN));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode all = JSON.readTree(response.body()).get("rooms");
    return JSON.valueToTree(
        StreamSupport.stream(all.spliterator(), false)
            .filter(room -> room.get("namespace").asText().equals(NS))
            .toList());
  }

  private static String error(HttpResponse<String> response) throws Exception {
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    return JSON.readTree(response.body()).get("error").asText();
  }

  private static HttpRequest.Builder request(String path, Optional<String> authorization) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path))
            .timeout(Duration.ofSeconds(5));
    authorization.ifPresent(value -> request.header("Authorization", value));
    return request;
  }

  private static HttpResponse<String> get(String path, Optional<String> authorization)
      throws Exception {
    return HTTP.send(
        request(path, authorization).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
