package dev.dormouse.contract;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code REDIS_URL} as every Dormouse process reads it: standalone
 * ({@code redis[s]://[[user]:password@]host[:port][/db]}), Sentinel
 * ({@code redis[s]-sentinel://[[user]:password@]host[:port][,host[:port]…][/db]#master}) or Cluster
 * ({@code redis[s]-cluster://[[user]:password@]host[:port],host[:port]…}); no query parameters. Parsed here
 * once, without a Redis client, so the gateway, the owner and the operator agree on what a URL means. The
 * credentials are the data nodes': every Cluster seed gets them, and with Sentinel the master (and its
 * replicas) does, while the Sentinels themselves are asked without credentials, as Lettuce does with such a
 * URI.
 */
public record RedisUrl(
    Kind kind,
    boolean tls,
    List<Node> nodes,
    Optional<String> username,
    Optional<String> password,
    int database,
    Optional<String> sentinelMaster) {

  public static final int DEFAULT_PORT = 6379;
  public static final int DEFAULT_SENTINEL_PORT = 26379;
  private static final String FORMS =
      "expected redis://[[user]:password@]host[:port][/db], rediss://…, "
          + "redis-sentinel://[[user]:password@]host[:port][,host[:port]…][/db]#master or "
          + "redis-cluster://[[user]:password@]host[:port],host[:port]…";

  /** How the nodes of a URL are to be used. */
  public enum Kind {
    STANDALONE,
    SENTINEL,
    CLUSTER
  }

  /** One host of a URL. */
  public record Node(String host, int port) {}

  public RedisUrl {
    nodes = List.copyOf(nodes);
  }

  /** @throws IllegalArgumentException naming REDIS_URL and what is wrong, never echoing the password */
  public static RedisUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw malformed("it is empty");
    }
    String text = url.trim();
    int schemeEnd = text.indexOf("://");
    if (schemeEnd < 0) {
      throw malformed("no scheme");
    }
    String scheme = text.substring(0, schemeEnd);
    boolean tls = scheme.startsWith("rediss");
    Kind kind =
        switch (scheme) {
          case "redis", "rediss" -> Kind.STANDALONE;
          case "redis-sentinel", "rediss-sentinel" -> Kind.SENTINEL;
          case "redis-cluster", "rediss-cluster" -> Kind.CLUSTER;
          default -> throw malformed("unknown scheme " + scheme);
        };
    String rest = text.substring(schemeEnd + 3);
    // The credentials end at the last '@', as no host, database or master name holds one: so a
    // password may hold '#', '?' or '/' unencoded (a chart's $(REDIS_PASSWORD) cannot encode them),
    // and no error below, which quotes hosts, can quote a piece of it.
    int at = rest.lastIndexOf('@');
    String userInfo = at < 0 ? "" : rest.substring(0, at);
    rest = rest.substring(at + 1);
    if (rest.contains("?")) {
      throw malformed("query parameters are not supported");
    }
    Optional<String> master = Optional.empty();
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      if (kind != Kind.SENTINEL) {
        throw malformed("only redis-sentinel:// takes a #master");
      }
      master = Optional.of(rest.substring(hash + 1)).filter(m -> !m.isBlank());
      rest = rest.substring(0, hash);
    }
    if (kind == Kind.SENTINEL && master.isEmpty()) {
      throw malformed("redis-sentinel:// needs the master's name after #");
    }
    int slash = rest.indexOf('/');
    int database = slash < 0 ? 0 : database(rest.substring(slash + 1));
    if (kind == Kind.CLUSTER && database != 0) {
      throw malformed("Redis Cluster has only database 0");
    }
    List<Node> nodes =
        nodes(
            slash < 0 ? rest : rest.substring(0, slash),
            kind == Kind.SENTINEL ? DEFAULT_SENTINEL_PORT : DEFAULT_PORT);
    if (kind == Kind.STANDALONE && nodes.size() > 1) {
      throw malformed(
          scheme + ":// takes one host; use redis-cluster:// or redis-sentinel:// for several");
    }
    // As in Lettuce: "user:password", ":password", or a bare "password".
    int colon = userInfo.indexOf(':');
    Optional<String> username =
        colon <= 0 ? Optional.empty() : Optional.of(decode(userInfo.substring(0, colon)));
    Optional<String> password =
        Optional.of(decode(userInfo.substring(colon + 1))).filter(p -> !p.isEmpty());
    return new RedisUrl(kind, tls, nodes, username, password, database, master);
  }

  /**
   * The URIs, in Lettuce's syntax, a client connects with: one for standalone and Sentinel, one for every
   * seed of a Cluster, each carrying the credentials.
   */
  public List<String> clientUris() {
    String credentials =
        password
            .map(p -> username.map(RedisUrl::encode).orElse("") + ":" + encode(p) + "@")
            .orElse("");
    String path = database == 0 ? "" : "/" + database;
    return switch (kind) {
      case STANDALONE -> List.of(scheme("") + credentials + authority(nodes.get(0)) + path);
      case SENTINEL ->
          List.of(
              scheme("-sentinel")
                  + credentials
                  + String.join(",", nodes.stream().map(RedisUrl::authority).toList())
                  + path
                  + "#"
                  + sentinelMaster.get());
      case CLUSTER ->
          nodes.stream().map(node -> scheme("") + credentials + authority(node)).toList();
    };
  }

  private String scheme(String suffix) {
    return (tls ? "rediss" : "redis") + suffix + "://";
  }

  private static String authority(Node node) {
    return (node.host().contains(":") ? "[" + node.host() + "]" : node.host()) + ":" + node.port();
  }

  @Override
  public String toString() {
    return "RedisUrl["
        + kind
        + (tls ? " tls " : " ")
        + nodes.stream().map(RedisUrl::authority).toList()
        + username.map(u -> " user " + u).orElse("")
        + password.map(p -> " password ****").orElse("")
        + " db "
        + database
        + sentinelMaster.map(m -> " master " + m).orElse("")
        + "]";
  }

  private static List<Node> nodes(String hosts, int defaultPort) {
    List<Node> nodes = new ArrayList<>();
    for (String part : hosts.split(",", -1)) {
      String hostPort = part.trim();
      if (hostPort.isEmpty()) {
        throw malformed("a host is missing");
      }
      nodes.add(node(hostPort, defaultPort));
    }
    return nodes;
  }

  private static Node node(String hostPort, int defaultPort) {
    String host;
    String port;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw malformed("unclosed [ in host " + hostPort);
      }
      host = hostPort.substring(1, close);
      port = hostPort.substring(close + 1);
    } else {
      int colon = hostPort.indexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      port = colon < 0 ? "" : hostPort.substring(colon);
    }
    if (host.isEmpty()
        || host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '@' || c == '/')) {
      throw malformed("bad host in " + hostPort);
    }
    if (port.isEmpty()) {
      return new Node(host, defaultPort);
    }
    if (!port.startsWith(":")) {
      throw malformed("bad host in " + hostPort);
    }
    return new Node(host, number(port.substring(1), 1, 65535, "port"));
  }

  private static int database(String text) {
    return text.isEmpty() ? 0 : number(text, 0, Integer.MAX_VALUE, "database");
  }

  private static int number(String text, int min, int max, String what) {
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below, as an out-of-range value is
    }
    throw malformed(what + " " + text + " is not a number from " + min + " to " + max);
  }

  /** Percent-decoding only: unlike URLDecoder it keeps a '+', which passwords may hold. */
  private static String decode(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()
            || Character.digit(text.charAt(i + 1), 16) < 0
            || Character.digit(text.charAt(i + 2), 16) < 0) {
          throw malformed("a % in the credentials is not followed by two hex digits");
        }
        bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
        i += 2;
      } else {
        bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static IllegalArgumentException malformed(String why) {
    return new IllegalArgumentException(
        "REDIS_URL is not a Redis URL: " + why + " (" + FORMS + ")");
  }
}
