package dev.dormouse.gateway;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.store.AutoResponseTimes;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client-facing server: WebSocket upgrades into rooms, and the endpoint list at any other path. */
public final class GatewayServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
  private static final int GOING_AWAY = 1001;

  private final Undertow undertow;
  private final ClientConnections connections;
  private final AtomicBoolean draining = new AtomicBoolean();

  /** Settings of the gateway role. */
  public record Options(String host, int port, String namespace, String defaultRoom) {
  }

  public GatewayServer(Options options, RoomCatalog catalog, RoomEventSink events, ClientConnections connections,
      AutoResponseTimes autoResponses, SecretFiles secrets, Metrics metrics) {
    this.connections = connections;
    UpgradeHandler upgrades = new UpgradeHandler(options.namespace(), options.defaultRoom(), catalog, events,
        connections, autoResponses, new TokenVerifier(secrets), metrics, draining::get, new EndpointList());
    undertow = Undertow.builder()
        .addHttpListener(options.port(), options.host())
        .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
        .setHandler(upgrades)
        .build();
  }

  public void start() {
    undertow.start();
    log.info("gateway listening on {}", address());
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
  }

  /**
   * Stops taking upgrades and closes every client with 1001; their rooms get close events. Returns
   * once all sockets are gone or {@code timeout} has passed.
   */
  public void drain(Duration timeout) throws InterruptedException {
    draining.set(true);
    for (ClientConnection connection : connections.all()) {
      connection.close(ClientConnection.Initiator.GATEWAY, GOING_AWAY, "Gateway shutting down");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (connections.size() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
