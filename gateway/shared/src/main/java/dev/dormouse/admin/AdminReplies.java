package dev.dormouse.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.UncheckedIOException;
import java.util.Map;

/** The admin API's answers: JSON bodies, and errors as {@code {"error": "..."}}. */
public final class AdminReplies {

  /** An error answer: its status and the text a caller reads. */
  public record Error(int status, String message) {}

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  private AdminReplies() {}

  public static void json(HttpServerExchange exchange, int status, Object body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json; charset=utf-8");
    exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
    exchange.getResponseSender().send(text);
  }

  public static void error(HttpServerExchange exchange, Error error) {
    if (error.status() == 401) {
      exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer");
    }
    json(exchange, error.status(), Map.of("error", error.message()));
  }

  public static void error(HttpServerExchange exchange, int status, String message) {
    error(exchange, new Error(status, message));
  }

  /** 405, naming the one method the path takes. */
  public static void methodNotAllowed(HttpServerExchange exchange, HttpString allowed) {
    exchange.getResponseHeaders().put(Headers.ALLOW, allowed.toString());
    error(exchange, 405, "use " + allowed + " here");
  }
}
