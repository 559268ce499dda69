package dev.dormouse.admin;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The admin page: plain HTML, JavaScript and CSS from the jar, which poll the admin API. A browser
 * cannot send a header when it opens a page, so the page itself also takes the token as {@code
 * ?token=}; its script keeps it and sends it as a header to the API.
 */
public final class AdminPage implements HttpHandler {

  private static final String FOLDER = "/dev/dormouse/admin/page/";

  /** The page's files, by path, with their content types. */
  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/admin.js", "admin.js",
          "/admin.css", "admin.css");

  private static final Map<String, String> TYPES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "admin.js", "text/javascript; charset=utf-8",
          "admin.css", "text/css; charset=utf-8");

  private final AdminAccess access;
  private final Map<String, byte[]> contents;

  public AdminPage(AdminAccess access) {
    this.access = access;
    this.contents = Map.copyOf(load());
  }

  private static Map<String, byte[]> load() {
    Map<String, byte[]> loaded = new HashMap<>();
    for (String file : FILES.values()) {
      try (InputStream in = AdminPage.class.getResourceAsStream(FOLDER + file)) {
        if (in == null) {
          throw new IllegalStateException("the admin page's " + file + " is missing from the jar");
        }
        loaded.put(file, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return loaded;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    String file = FILES.get(exchange.getRequestPath());
    if (file == null) {
      AdminReplies.error(
          exchange, 404, "no such page: the admin page is at / and its API under /api/");
      return;
    }
    if (!exchange.getRequestMethod().equals(Methods.GET)) {
      AdminReplies.methodNotAllowed(exchange, Methods.GET);
      return;
    }
    // The scripts and styles hold nothing secret: only the page is behind the token, so that a
    // page opened without one says what is wrong.
    if (file.equals("index.html")) {
      var refusal = access.refusal(access.check(false, authorization(exchange)));
      if (refusal.isPresent()) {
        AdminReplies.error(exchange, refusal.get());
        return;
      }
    }
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TYPES.get(file));
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(ByteBuffer.wrap(contents.get(file)));
  }

  /** The header, or else the {@code token} query parameter as a bearer token. */
  private static String authorization(HttpServerExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION);
    if (header != null) {
      return header;
    }
    Deque<String> token = exchange.getQueryParameters().get("token");
    return token == null || token.isEmpty() ? null : "Bearer " + token.getFirst();
  }
}
