package dev.dormouse.admin;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The admin port, apart from client traffic: {@code /healthz} (the process runs), {@code /readyz}
 * (it can serve: Redis reachable, not draining) and {@code /metrics} in Prometheus format, from the
 * start; and what a role mounts once it runs (the gateway: the admin page and its API).
 */
public final class AdminServer implements AutoCloseable {

  /** A handler for the paths under {@code prefix}. */
  private record Route(String prefix, HttpHandler handler) {}

  private final Undertow undertow;

  /** In mount order: the first whose prefix a path starts with takes it. */
  private final List<Route> routes = new CopyOnWriteArrayList<>();

  public AdminServer(String host, int port, Metrics metrics, BooleanSupplier ready) {
    undertow =
        Undertow.builder()
            .addHttpListener(port, host)
            .setHandler(
                exchange -> {
                  switch (exchange.getRequestPath()) {
                    case "/healthz" -> text(exchange, 200, "ok");
                    case "/readyz" -> {
                      boolean isReady = ready.getAsBoolean();
                      text(exchange, isReady ? 200 : 503, isReady ? "ready" : "not ready");
                    }
                    case "/metrics" -> {
                      // Scraping walks every meter: keep it off the I/O thread.
                      if (exchange.isInIoThread()) {
                        exchange.dispatch(() -> text(exchange, 200, metrics.scrape()));
                      }
                    }
                    default -> routed(exchange);
                  }
                })
            .build();
  }

  /**
   * Serves the paths starting with {@code prefix} (after the fixed ones) with {@code handler}, from
   * now on; the handler is called on the I/O thread.
   */
  public void mount(String prefix, HttpHandler handler) {
    routes.add(new Route(prefix, handler));
  }

  private void routed(HttpServerExchange exchange) throws Exception {
    for (Route route : routes) {
      if (exchange.getRequestPath().startsWith(route.prefix())) {
        route.handler().handleRequest(exchange);
        return;
      }
    }
    text(exchange, 404, "Not found: try /healthz, /readyz or /metrics");
  }

  private static void text(HttpServerExchange exchange, int status, String body) {
    exchange.setStatusCode(status);
    exchange
        .getResponseHeaders()
        .put(Headers.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
    exchange.getResponseSender().send(body);
  }

  public void start() {
    undertow.start();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) undertow.getListenerInfo().get(0).getAddress();
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
