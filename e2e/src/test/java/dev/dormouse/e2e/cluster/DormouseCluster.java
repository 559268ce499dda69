package dev.dormouse.e2e.cluster;

import static org.awaitility.Awaitility.await;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.WebSocketRoomCrd;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Dormouse as on Kubernetes, on loopback: an embedded Redis, the fabric8 Kubernetes mock (CRUD mode,
 * CRD registered, Secret {@code dormouse-link}), the operator and two gateways as real processes of
 * their jars, and a {@link PodRunner} that starts owner pods as processes of dormouse.jar.
 */
public final class DormouseCluster implements AutoCloseable {

  public static final String NAMESPACE = "default";
  public static final String LINK_SECRET = "e2e-link-secret-0123456789abcdef0123456789";
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** A gateway process and its ports. */
  public record Gateway(String id, ManagedProcess process, int port, int adminPort) {
    public URI ws(String path) {
      return URI.create("ws://127.0.0.1:" + port + path);
    }

    public URI http(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }
  }

  private final EmbeddedRedis redis;
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final ManagedProcess operator;
  private final List<Gateway> gateways = new ArrayList<>();
  private final PodRunner pods;
  private int gatewaysStarted;

  /** Held so that the level sticks: the mock logs every request at INFO through java.util.logging. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private DormouseCluster(
      EmbeddedRedis redis,
      KubernetesMockServer server,
      KubernetesClient client,
      ManagedProcess operator,
      PodRunner pods) {
    this.redis = redis;
    this.server = server;
    this.client = client;
    this.operator = operator;
    this.pods = pods;
  }

  public static DormouseCluster start(int gateways) throws Exception {
    ProcessLogs.clear();
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    EmbeddedRedis redis = EmbeddedRedis.start();

    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    server.init(InetAddress.getByName("127.0.0.1"), 0);
    KubernetesClient client = server.createClient();
    WebSocketRoomCrd.install(client);
    client
        .secrets()
        .inNamespace(NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("dormouse-link")
                .endMetadata()
                .addToStringData("secret", LINK_SECRET)
                .build())
        .create();

    String redisUrl = redis.url();
    Map<String, String> env = new HashMap<>(kubernetesEnv(server));
    // Port 0, read back from the log: a port found free and released could be taken before the
    // operator binds it.
    env.putAll(
        Map.of(
            "REDIS_URL",
            redisUrl,
            "DORMOUSE_OWNER_IMAGE",
            "dormouse:e2e",
            "DORMOUSE_LINK_SECRET_NAME",
            "dormouse-link",
            "DORMOUSE_HEALTH_PORT",
            "0",
            "DORMOUSE_RECONCILE_INTERVAL",
            "1s",
            "DORMOUSE_LEADER_ELECTION",
            "false",
            "DORMOUSE_WATCH_NAMESPACES",
            NAMESPACE));
    ManagedProcess operator = JarProcess.start("operator", jar("dormouse.operatorJar"), env);
    PodRunner pods = new PodRunner(client, NAMESPACE, jar("dormouse.gatewayJar")).start();
    DormouseCluster cluster = new DormouseCluster(redis, server, client, operator, pods);
    try {
      List<Gateway> started = new ArrayList<>();
      for (int i = 0; i < gateways; i++) {
        started.add(cluster.launchGateway());
      }
      String healthPort = operator.awaitLine(OPERATOR_STARTED, START_TIMEOUT).group(1);
      awaitOk(URI.create("http://127.0.0.1:" + healthPort + "/readyz"), operator);
      for (Gateway gateway : started) {
        cluster.awaitGateway(gateway);
      }
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private static Map<String, String> kubernetesEnv(KubernetesMockServer server) {
    return Map.of(
        "KUBERNETES_MASTER",
        server.url("/"),
        "KUBERNETES_TRUST_CERTIFICATES",
        "true",
        "KUBERNETES_AUTH_TRYKUBECONFIG",
        "false",
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT",
        "false",
        "KUBERNETES_NAMESPACE",
        NAMESPACE);
  }

  private static Path jar(String property) {
    String path = System.getProperty(property);
    if (path == null) {
      throw new IllegalStateException(
          "system property " + property + " is not set (run through Maven Failsafe)");
    }
    return Path.of(path);
  }

  /** Starts one more gateway process and waits until its /readyz answers 200. */
  public Gateway startGateway() throws Exception {
    Gateway gateway = launchGateway();
    awaitGateway(gateway);
    return gateway;
  }

  private Gateway launchGateway() throws IOException {
    String id = "gateway-" + (++gatewaysStarted);
    int port = freePort();
    int adminPort = freePort();
    Map<String, String> env = new HashMap<>(kubernetesEnv(server));
    env.putAll(
        Map.of(
            "DORMOUSE_NAMESPACE",
            NAMESPACE,
            "REDIS_URL",
            redisUrl(),
            "DORMOUSE_LINK_SECRET",
            LINK_SECRET,
            "DORMOUSE_BIND_ADDRESS",
            "127.0.0.1",
            "DORMOUSE_PORT",
            Integer.toString(port),
            "DORMOUSE_ADMIN_PORT",
            Integer.toString(adminPort),
            "DORMOUSE_LINK_PORT",
            "7070",
            "DORMOUSE_GATEWAY_DEAD_AFTER",
            "3s",
            "DORMOUSE_WAKE_TIMEOUT",
            "60s",
            "DORMOUSE_GATEWAY_ID",
            id));
    Gateway gateway =
        new Gateway(
            id, JarProcess.start(id, jar("dormouse.gatewayJar"), env, "gateway"), port, adminPort);
    gateways.add(gateway);
    return gateway;
  }

  private void awaitGateway(Gateway gateway) throws InterruptedException {
    awaitOk(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/readyz"), gateway.process());
  }

  private static void awaitOk(URI uri, ManagedProcess process) throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(process.exitReport());
      }
      try {
        if (HTTP.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError(process.name() + " not ready at " + uri + " within " + START_TIMEOUT);
  }

  public KubernetesClient client() {
    return client;
  }

  public PodRunner pods() {
    return pods;
  }

  public Gateway gateway(int index) {
    return gateways.get(index);
  }

  public List<Gateway> gateways() {
    return List.copyOf(gateways);
  }

  public void forget(Gateway gateway) {
    gateways.remove(gateway);
  }

  public int redisPort() {
    return redis.port();
  }

  public String redisUrl() {
    return redis.url();
  }

  public ManagedProcess operator() {
    return operator;
  }

  /** {@code kubectl apply -f} of a WebSocketRoom manifest, through the fabric8 client. */
  public WebSocketRoom apply(String yaml) {
    WebSocketRoom room = Serialization.unmarshal(yaml, WebSocketRoom.class);
    return client.resource(room).inNamespace(NAMESPACE).createOr(existing -> existing.update());
  }

  /** A change of a room's spec, retried while the operator or a gateway changed it meanwhile (409). */
  public WebSocketRoom editRoom(String name, java.util.function.Consumer<WebSocketRoom> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client
            .resources(WebSocketRoom.class)
            .inNamespace(NAMESPACE)
            .withName(name)
            .edit(
                room -> {
                  change.accept(room);
                  return room;
                });
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  public WebSocketRoom room(String name) {
    return client.resources(WebSocketRoom.class).inNamespace(NAMESPACE).withName(name).get();
  }

  /** The room's status once {@code until} holds of it. */
  public WebSocketRoomStatus awaitStatus(
      String name, Duration atMost, Predicate<WebSocketRoomStatus> until) {
    return await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> Optional.ofNullable(room(name)).map(WebSocketRoom::getStatus).orElse(null),
            status -> status != null && until.test(status));
  }

  /** Until the gateway's room informer knows the room (an upgrade without a key gets 400, not 404). */
  public void awaitServed(Gateway gateway, String path) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> upgradeProbe(gateway, path) == 400);
  }

  /** The Events about a room, as {@code kubectl describe wsroom} lists them. */
  public List<Event> events(String room) {
    return client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> room.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** Owner pods of {@code room} as the API server has them. */
  public List<Pod> ownerPods(String room) {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel("dormouse.dev/role", "owner")
        .withLabel("dormouse.dev/room", room)
        .list()
        .getItems();
  }

  /**
   * The HTTP status a gateway answers an upgrade to {@code path} with when the handshake key is
   * missing: 400 once the gateway knows the room (the key is checked after the room), 404 before.
   */
  public static int upgradeProbe(Gateway gateway, String path) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(status.substring(9, 12));
    }
  }

  public static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final Pattern OPERATOR_STARTED = Pattern.compile("health and metrics on :(\\d+)");

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    for (Gateway gateway : gateways) {
      gateway.process().terminate(Duration.ofSeconds(10));
    }
    pods.close();
    operator.terminate(Duration.ofSeconds(10));
    client.close();
    server.destroy();
    try {
      redis.stop();
    } catch (IOException e) {
      // the process is going away anyway
    }
  }
}
