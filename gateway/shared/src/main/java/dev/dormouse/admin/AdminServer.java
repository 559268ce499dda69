package dev.dormouse.admin;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * The admin port, apart from client traffic: {@code /healthz} (the process runs), {@code /readyz}
 * (it can serve: Redis reachable, not draining) and {@code /metrics} in Prometheus format.
 */
public final class AdminServer implements AutoCloseable {

  private final Undertow undertow;

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
                    default -> text(exchange, 404, "Not found: try /healthz, /readyz or /metrics");
                  }
                })
            .build();
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
