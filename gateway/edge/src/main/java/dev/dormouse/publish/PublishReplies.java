package dev.dormouse.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.UncheckedIOException;
import java.util.Map;

/** The publish API's answers: JSON bodies, an error as {@code {"error": "…"}}. */
final class PublishReplies {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PublishReplies() {}

  static void json(HttpServerExchange exchange, int status, Object body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    exchange.setStatusCode(status);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
    exchange.getResponseSender().send(text);
  }

  static void error(HttpServerExchange exchange, int status, String message) {
    json(exchange, status, Map.of("error", message));
  }
}
