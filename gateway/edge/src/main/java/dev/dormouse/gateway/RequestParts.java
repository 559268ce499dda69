package dev.dormouse.gateway;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A request's headers (names in lower case) and query parameters as rooms see them. */
final class RequestParts {

  private RequestParts() {}

  static Map<String, List<String>> headers(HttpServerExchange exchange) {
    Map<String, List<String>> headers = new HashMap<>();
    for (HeaderValues values : exchange.getRequestHeaders()) {
      headers.put(
          values.getHeaderName().toString().toLowerCase(Locale.ROOT), new ArrayList<>(values));
    }
    return headers;
  }

  static Map<String, List<String>> query(HttpServerExchange exchange) {
    Map<String, List<String>> query = new HashMap<>();
    exchange
        .getQueryParameters()
        .forEach((name, values) -> query.put(name, new ArrayList<>(values)));
    return query;
  }
}
