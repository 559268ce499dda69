package dev.dormouse.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dormouse.operator.admin.AdminApi;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz}, {@code /readyz} and {@code /metrics} for the kubelet and Prometheus; every other
 * path goes to the {@link AdminApi} (the summary of all rooms, or 404 while it is off).
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor;
  private final AdminApi admin;

  /**
   * @param ready whether the operator is started and its informers are healthy; liveness is only
   *     that this server answers, so a slow cache sync never gets the process killed
   */
  public HealthServer(
      int port, BooleanSupplier ready, PrometheusMeterRegistry registry, AdminApi admin)
      throws IOException {
    this.admin = admin;
    server = HttpServer.create(new InetSocketAddress(port), 0);
    executor =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, "health-server");
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/healthz", exchange -> probe(exchange, () -> true));
    server.createContext("/readyz", exchange -> probe(exchange, ready));
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext("/", admin);
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void probe(HttpExchange exchange, BooleanSupplier check) throws IOException {
    boolean ok = check.getAsBoolean();
    respond(exchange, ok ? 200 : 503, "text/plain; charset=utf-8", ok ? "ok\n" : "not ready\n");
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    admin.close();
  }
}
