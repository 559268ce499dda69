package dev.dormouse.gateway;

import dev.dormouse.admin.Metrics;
import dev.dormouse.config.RoomCatalog;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.store.AutoResponseTimes;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing server: WebSocket upgrades into rooms, plain HTTP into rooms' onRequest, and the
 * endpoint list at any other path.
 */
public final class GatewayServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

  /** Of a drain's time, what is kept back to drop the clients that never answered and report them. */
  private static final Duration ABORT_GRACE = Duration.ofSeconds(1);

  /** By the time Undertow stops, the drain has closed the sockets; what is left is HTTP, cut short. */
  private static final int STOP_TIMEOUT_MILLIS = 1000;

  private final Undertow undertow;
  private final ClientConnections connections;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean fenced = new AtomicBoolean();

  /** Settings of the gateway role. */
  public record Options(
      String host, int port, String namespace, String defaultRoom, EdgeSettings edge) {}

  public GatewayServer(
      Options options,
      RoomCatalog catalog,
      RoomEventSink events,
      ClientConnections connections,
      AutoResponseTimes autoResponses,
      SecretFiles secrets,
      Metrics metrics,
      RoomRequests requests) {
    this.connections = connections;
    UpgradeHandler upgrades =
        new UpgradeHandler(
            options.namespace(),
            options.defaultRoom(),
            catalog,
            events,
            connections,
            autoResponses,
            new TokenVerifier(secrets),
            metrics,
            this::notTaking,
            new EndpointList(),
            new HttpRoomHandler(
                options.namespace(),
                catalog,
                requests,
                this::notTaking,
                options.edge().idleTimeout()),
            options.edge());
    undertow =
        Undertow.builder()
            .addHttpListener(options.port(), options.host())
            .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
            .setServerOption(
                UndertowOptions.REQUEST_PARSE_TIMEOUT, millis(options.edge().handshakeTimeout()))
            .setServerOption(
                UndertowOptions.NO_REQUEST_TIMEOUT, millis(options.edge().idleTimeout()))
            .setServerOption(UndertowOptions.MAX_HEADER_SIZE, options.edge().maxHeaderBytes())
            .setServerOption(UndertowOptions.SHUTDOWN_TIMEOUT, STOP_TIMEOUT_MILLIS)
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

  private Optional<Refusal> notTaking() {
    if (draining.get()) {
      return Optional.of(Refusal.GATEWAY_SHUTTING_DOWN);
    }
    return fenced.get() ? Optional.of(Refusal.GATEWAY_FENCED) : Optional.empty();
  }

  /**
   * Stops serving until {@link #unfence}: every client is closed with 1013 and upgrades get 503, as
   * the other gateways are about to take this one for dead.
   */
  public void fence() {
    fenced.set(true);
    for (ClientConnection connection : connections.all()) {
      connection.close(ClientConnection.Initiator.GATEWAY, Refusal.GATEWAY_FENCED);
    }
  }

  /** Takes upgrades again. */
  public void unfence() {
    fenced.set(false);
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  /**
   * Stops taking upgrades and closes every client with 1001; their rooms get close events. Clients
   * that have not finished the closing handshake shortly before {@code timeout} are dropped, and
   * their rooms told so; returns within {@code timeout} whatever the clients do.
   */
  public void drain(Duration timeout) throws InterruptedException {
    draining.set(true);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ClientConnection connection : connections.all()) {
      connection.close(ClientConnection.Initiator.GATEWAY, Refusal.GATEWAY_SHUTTING_DOWN);
    }
    Duration grace =
        ABORT_GRACE.compareTo(timeout.dividedBy(4)) < 0 ? ABORT_GRACE : timeout.dividedBy(4);
    if (!connections.awaitEmpty(timeout.minus(grace))) {
      List<ClientConnection> left = connections.all();
      log.warn(
          "{} clients did not finish the closing handshake in time: dropping them", left.size());
      left.forEach(ClientConnection::abort);
      connections.awaitEmpty(untilDeadline(deadline));
    }
    connections.awaitClosesHandled(untilDeadline(deadline));
  }

  private static Duration untilDeadline(long deadline) {
    return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
