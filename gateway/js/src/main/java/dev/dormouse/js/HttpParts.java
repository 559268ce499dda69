package dev.dormouse.js;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.proxy.ProxyArray;

/** A request's parts in the shapes the runtime builds a {@code Request} from. */
final class HttpParts {

  private HttpParts() {}

  /** An absolute URL, as {@code request.url} is in a Worker: the Host header's, else localhost. */
  static String url(Optional<String> host, String path, Map<String, List<String>> query) {
    StringBuilder url = new StringBuilder("http://").append(host.orElse("localhost")).append(path);
    char separator = '?';
    for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
      for (String value : parameter.getValue()) {
        url.append(separator)
            .append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8))
            .append('=')
            .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        separator = '&';
      }
    }
    return url.toString();
  }

  /** Headers as {@code [name, value, name, value, …]}. */
  static ProxyArray flat(Map<String, List<String>> headers) {
    List<Object> flat = new ArrayList<>();
    headers.forEach(
        (name, values) ->
            values.forEach(
                value -> {
                  flat.add(name);
                  flat.add(value);
                }));
    return ProxyArray.fromList(flat);
  }

  /**
   * An upgrade's headers, {@code Upgrade: websocket} among them even where the gateway did not pass
   * it on: the class checks it, as the seed's Worker does before forwarding.
   */
  static ProxyArray upgradeHeaders(Map<String, List<String>> headers) {
    if (headers.containsKey("upgrade")) {
      return flat(headers);
    }
    Map<String, List<String>> more = new java.util.LinkedHashMap<>(headers);
    more.put("upgrade", List.of("websocket"));
    return flat(more);
  }
}
