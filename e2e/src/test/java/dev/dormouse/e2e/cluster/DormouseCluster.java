package dev.dormouse.e2e.cluster;

import static org.awaitility.Awaitility.await;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.crd.v1alpha1.WebSocketRoomStatus;
import dev.dormouse.store.EmbeddedRedis;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Dormouse as on Kubernetes, on loopback: an embedded Redis, the fabric8 Kubernetes mock (CRUD mode,
 * CRD registered, Secret {@code dormouse-link}), the operator and two gateways as real processes of
 * their jars, and a {@link PodRunner} that starts owner pods as processes of dormouse.jar.
 *
 * <p>In container mode (system properties {@value #IMAGE} and {@value #OPERATOR_IMAGE}, set by
 * e2e/containers.sh) the operator and the gateways are containers of those images run from the pod
 * specs the chart renders ({@link ChartRelease}), and owner pods containers of the image their spec
 * names ({@link ContainerPods}): the operator's DORMOUSE_OWNER_IMAGE, the gateway image under test.
 */
public final class DormouseCluster implements AutoCloseable {

  public static final String NAMESPACE = "default";

  /** The gateway and owner image under test, {@code repository:tag}; unset: jars as processes. */
  public static final String IMAGE = "dormouse.e2e.image";

  public static final String OPERATOR_IMAGE = "dormouse.e2e.operatorImage";

  /** Label of this run's containers (docker ps --filter), so that leftovers can be removed. */
  private static final String RUN_LABEL =
      "dormouse.e2e.run=" + System.getProperty("dormouse.e2e.run", "local");

  public static final String LINK_SECRET = "e2e-link-secret-0123456789abcdef0123456789";
  static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** A gateway, its address and ports, and where its readiness is probed. */
  public record Gateway(String id, Workload process, String host, int port, URI ready) {
    public URI ws(String path) {
      return URI.create("ws://" + host + ":" + port + path);
    }

    public URI http(String path) {
      return URI.create("http://" + host + ":" + port + path);
    }
  }

  /** True when the scenarios run on containers of the images under test. */
  public static boolean inContainers() {
    return System.getProperty(IMAGE) != null;
  }

  private final EmbeddedRedis redis;
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Workload operator;
  private final List<Gateway> gateways = new ArrayList<>();
  private final PodRunner pods;
  private final ChartRelease chart;
  private final ContainerPods containers;
  private final Map<String, Instant> launchedAt = new ConcurrentHashMap<>();
  private final Map<String, Duration> readyAfter = new ConcurrentHashMap<>();
  private int gatewaysStarted;

  /** Held so that the level sticks: the mock logs every request at INFO through java.util.logging. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private DormouseCluster(
      EmbeddedRedis redis,
      KubernetesMockServer server,
      KubernetesClient client,
      Workload operator,
      PodRunner pods,
      ChartRelease chart,
      ContainerPods containers) {
    this.redis = redis;
    this.server = server;
    this.client = client;
    this.operator = operator;
    this.pods = pods;
    this.chart = chart;
    this.containers = containers;
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
    // With leader election (the chart's setting) the operator first asks what it may do, which the
    // CRUD mock cannot answer: here everything. What the chart's RBAC grants is helm/RbacIT's part.
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            """
            {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
             "metadata": {}, "spec": {"namespace": "default"},
             "status": {"incomplete": false, "resourceRules": [
               {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}], "nonResourceRules": []}}
            """)
        .always();
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

    LoopbackAddresses addresses = new LoopbackAddresses();
    PodVolumes volumes =
        new PodVolumes(
            client, NAMESPACE, Path.of(System.getProperty("dormouse.e2ePods", "target/e2e-pods")));
    DormouseCluster cluster;
    URI operatorReady;
    String operatorId;
    Instant launched = Instant.now();
    if (inContainers()) {
      ContainerPods containers = new ContainerPods(volumes, RUN_LABEL);
      ChartRelease chart =
          ChartRelease.install(
              client,
              NAMESPACE,
              new ChartRelease.Images(
                  System.getProperty(IMAGE), System.getProperty(OPERATOR_IMAGE)),
              redis.url(),
              gateways,
              freePort(),
              server.url("/"),
              containers,
              addresses);
      ChartRelease.Replica operator = chart.start("operator", 0);
      PodRunner pods = new PodRunner(client, NAMESPACE, containers, addresses).start();
      cluster =
          new DormouseCluster(redis, server, client, operator.workload(), pods, chart, containers);
      operatorReady = operator.readiness().uri();
      operatorId = operator.pod();
    } else {
      Workload operator =
          JarProcess.start("operator", jar("dormouse.operatorJar"), operatorEnv(redis, server));
      PodRunner pods =
          new PodRunner(
                  client, NAMESPACE, new JarPods(jar("dormouse.gatewayJar"), volumes), addresses)
              .start();
      cluster = new DormouseCluster(redis, server, client, operator, pods, null, null);
      operatorReady = null;
      operatorId = "operator";
    }
    try {
      List<Gateway> started = new ArrayList<>();
      for (int i = 0; i < gateways; i++) {
        started.add(cluster.launchGateway());
      }
      if (operatorReady == null) {
        String healthPort = cluster.operator.awaitLine(OPERATOR_STARTED, START_TIMEOUT).group(1);
        operatorReady = URI.create("http://127.0.0.1:" + healthPort + "/readyz");
      }
      // All at once, so that each one's time to Ready is its own, not the wait for another.
      List<CompletableFuture<Void>> ready = new ArrayList<>();
      ready.add(cluster.readyAsync(operatorId, operatorReady, cluster.operator, launched));
      for (Gateway gateway : started) {
        ready.add(cluster.readyAsync(gateway));
      }
      join(ready);
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private static Map<String, String> operatorEnv(EmbeddedRedis redis, KubernetesMockServer server) {
    Map<String, String> env = new HashMap<>(kubernetesEnv(server));
    // Port 0, read back from the log: a port found free and released could be taken before the
    // operator binds it.
    env.putAll(
        Map.of(
            "REDIS_URL",
            redis.url(),
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
    return env;
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
  public Gateway startGateway() throws IOException {
    Gateway gateway = launchGateway();
    awaitGateway(gateway);
    return gateway;
  }

  private Gateway launchGateway() throws IOException {
    int index = ++gatewaysStarted;
    Gateway gateway;
    if (chart != null) {
      ChartRelease.Replica replica = chart.start("gateway", index);
      gateway =
          new Gateway(
              replica.pod(),
              replica.workload(),
              replica.ip(),
              replica.port("http"),
              replica.readiness().uri());
    } else {
      gateway = launchGatewayProcess("gateway-" + index);
    }
    launchedAt.put(gateway.id(), Instant.now());
    gateways.add(gateway);
    return gateway;
  }

  private Gateway launchGatewayProcess(String id) throws IOException {
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
    return new Gateway(
        id,
        JarProcess.start(id, jar("dormouse.gatewayJar"), env, "gateway"),
        "127.0.0.1",
        port,
        URI.create("http://127.0.0.1:" + adminPort + "/readyz"));
  }

  private void awaitGateway(Gateway gateway) {
    join(List.of(readyAsync(gateway)));
  }

  private CompletableFuture<Void> readyAsync(Gateway gateway) {
    return readyAsync(
        gateway.id(), gateway.ready(), gateway.process(), launchedAt.get(gateway.id()));
  }

  /** Waits for {@code uri} to answer 200 and records how long after {@code launched} it did. */
  private CompletableFuture<Void> readyAsync(
      String id, URI uri, Workload workload, Instant launched) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            awaitOk(uri, workload);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          }
          readyAfter.put(id, Duration.between(launched, Instant.now()));
        });
  }

  /** Waits for all; a failure is rethrown as itself (an AssertionError with the process's report). */
  private static void join(List<CompletableFuture<Void>> all) {
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof AssertionError failure) {
        throw failure;
      }
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  private static void awaitOk(URI uri, Workload process) throws InterruptedException {
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

  /** The container of a pod or component, in container mode. */
  public Optional<DockerContainer> container(String podName) {
    return containers == null ? Optional.empty() : containers.container(podName);
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

  public Workload operator() {
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
    try (Socket socket = new Socket(gateway.host(), gateway.port())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET "
                  + path
                  + " HTTP/1.1\r\nHost: "
                  + gateway.host()
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
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

  /**
   * The container of each component and pod, its time from start to Ready and its memory now (the
   * scenarios are over: idle), as e2e/containers.sh prints them for docs/kubernetes.md.
   */
  private void reportContainers() {
    Map<String, DockerContainer> all = new java.util.TreeMap<>(containers.all());
    StringBuilder out = new StringBuilder("\n===== containers: start to Ready, memory at idle\n");
    for (Map.Entry<String, DockerContainer> entry : all.entrySet()) {
      Duration ready =
          Optional.ofNullable(readyAfter.get(entry.getKey()))
              .or(
                  () ->
                      pods.timeline(entry.getKey())
                          .map(t -> Duration.between(t.started(), t.ready())))
              .orElse(null);
      if (!entry.getValue().workload().isAlive()) {
        out.append("container %s: ended%n".formatted(entry.getKey()));
        continue;
      }
      out.append(
          "container %s (%s): ready after %s, memory %s%n"
              .formatted(
                  entry.getKey(),
                  entry.getValue().image(),
                  ready == null ? "-" : ready.toMillis() + " ms",
                  entry.getValue().memory()));
    }
    System.out.println(out);
  }

  @Override
  public void close() {
    if (containers != null) {
      try {
        reportContainers();
      } catch (RuntimeException e) {
        System.out.println("containers: no report: " + e);
      }
    }
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
    if (containers != null) {
      DockerContainer.removeAll(RUN_LABEL);
    }
  }
}
