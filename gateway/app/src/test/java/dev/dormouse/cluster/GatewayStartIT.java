package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.testing.DaemonThreads;
import dev.dormouse.testing.DormouseProcess;
import dev.dormouse.testing.EmbeddedRedisExtension;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.WebSocketRoomCrd;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A gateway process starting against an API server that does not answer yet: it is alive but not
 * ready until it knows its rooms, and gives up with a clear error when it cannot list them in time.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@ExtendWith(EmbeddedRedisExtension.class)
class GatewayStartIT {

  private static final String NS = "starting";
  private static final int ROOMS = 20;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static KubernetesClient client;
  static KubernetesMockServer server;
  private static EmbeddedRedis redis;

  @BeforeAll
  static void rooms(EmbeddedRedis embedded) {
    redis = embedded;
    WebSocketRoomCrd.install(client);
    for (int i = 0; i < ROOMS; i++) {
      WebSocketRoom room = new WebSocketRoom();
      room.setMetadata(new ObjectMetaBuilder().withName("room-" + i).withNamespace(NS).build());
      client.resource(room).create();
    }
  }

  @Test
  void aGatewayIsAliveButNotReadyUntilItKnowsEveryRoom() throws Exception {
    try (HeldApiServer api =
            new HeldApiServer(new InetSocketAddress("127.0.0.1", server.getPort()));
        Gateway gateway = Gateway.start(api, Duration.ofSeconds(60))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> api.connections() > 0);
      await().atMost(Duration.ofSeconds(30)).until(() -> gateway.admin("/healthz") == 200);
      assertThat(gateway.admin("/readyz"))
          .as("ready while its rooms are not listed yet")
          .isEqualTo(503);

      api.open();
      await().atMost(Duration.ofSeconds(30)).until(() -> gateway.admin("/readyz") == 200);
      // Ready means every room is served: each connect waits for an owner (503 once the wake times
      // out), none is refused as unknown (404).
      ExecutorService clients = Executors.newFixedThreadPool(ROOMS);
      try {
        List<Future<Integer>> statuses =
            IntStream.range(0, ROOMS)
                .mapToObj(
                    i ->
                        clients.submit(
                            () -> {
                              try (RawWebSocket socket =
                                  RawWebSocket.open(gateway.address(), "GET", "/rooms/room-" + i)) {
                                return socket.status();
                              }
                            }))
                .toList();
        for (Future<Integer> status : statuses) {
          assertThat(status.get(30, TimeUnit.SECONDS)).isEqualTo(503);
        }
      } finally {
        clients.shutdownNow();
      }
    }
  }

  @Test
  void aGatewayThatCannotListItsRoomsInTimeExitsWithAClearError() throws Exception {
    try (HeldApiServer api =
            new HeldApiServer(new InetSocketAddress("127.0.0.1", server.getPort()));
        Gateway gateway = Gateway.start(api, Duration.ofSeconds(2))) {
      assertThat(gateway.process().waitFor(Duration.ofSeconds(30))).as("exited").isTrue();
      assertThat(gateway.process().exitValue()).isEqualTo(1);
      assertThat(gateway.process().output())
          .contains("cannot list WebSocketRoom resources within PT2S");
    }
  }

  /** A gateway process in Kubernetes mode, its API server behind {@code api}. */
  private record Gateway(ManagedProcess process, int port, int adminPort) implements AutoCloseable {

    static Gateway start(HeldApiServer api, Duration startTimeout) throws IOException {
      int port = FreePorts.any();
      int adminPort = FreePorts.any();
      Path dir =
          Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "gateway-start");
      Map<String, String> env =
          new HashMap<>(
              Map.of(
                  "REDIS_URL",
                  redis.url(),
                  "KUBERNETES_MASTER",
                  "http://127.0.0.1:" + api.port(),
                  "KUBERNETES_AUTH_TRYKUBECONFIG",
                  "false",
                  "KUBERNETES_AUTH_TRYSERVICEACCOUNT",
                  "false",
                  "DORMOUSE_NAMESPACE",
                  NS,
                  "DORMOUSE_PORT",
                  Integer.toString(port),
                  "DORMOUSE_ADMIN_PORT",
                  Integer.toString(adminPort),
                  "DORMOUSE_LINK_SECRET",
                  "a-link-secret-for-the-tests-0123456789",
                  "DORMOUSE_WAKE_TIMEOUT",
                  "1s"));
      env.put("DORMOUSE_START_TIMEOUT", startTimeout.toSeconds() + "s");
      env.put("DORMOUSE_BIND_ADDRESS", "127.0.0.1");
      return new Gateway(DormouseProcess.start(dir, env, "gateway"), port, adminPort);
    }

    InetSocketAddress address() {
      return new InetSocketAddress("127.0.0.1", port);
    }

    /** The status of an admin path, or -1 while the admin port does not answer. */
    int admin(String path) throws InterruptedException {
      try {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
      } catch (IOException e) {
        return -1;
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.close();
    }
  }

  /** A TCP relay to the mock API server that holds every connection until opened: an API server not answering yet. */
  private static final class HeldApiServer implements AutoCloseable {

    private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final InetSocketAddress target;
    private final CountDownLatch opened = new CountDownLatch(1);
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final ExecutorService threads =
        Executors.newCachedThreadPool(DaemonThreads.named("held-api-server"));

    HeldApiServer(InetSocketAddress target) throws IOException {
      this.target = target;
      threads.execute(this::accept);
    }

    int port() {
      return listener.getLocalPort();
    }

    int connections() {
      return connections.get();
    }

    void open() {
      opened.countDown();
    }

    private void accept() {
      try {
        while (true) {
          Socket client = listener.accept();
          sockets.add(client);
          connections.incrementAndGet();
          threads.execute(() -> relay(client));
        }
      } catch (IOException e) {
        // closed
      }
    }

    private void relay(Socket client) {
      try {
        opened.await();
        Socket upstream = new Socket(target.getAddress(), target.getPort());
        sockets.add(upstream);
        threads.execute(() -> pipe(upstream, client));
        pipe(client, upstream);
      } catch (IOException | InterruptedException e) {
        // the test is over
      }
    }

    private static void pipe(Socket from, Socket to) {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
        to.shutdownOutput();
      } catch (IOException e) {
        // one side closed
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
      for (Socket socket : sockets) {
        socket.close();
      }
      threads.shutdownNow();
    }
  }
}
