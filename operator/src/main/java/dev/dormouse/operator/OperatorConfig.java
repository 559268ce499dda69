package dev.dormouse.operator;

import dev.dormouse.contract.RedisUrl;
import dev.dormouse.crd.v1alpha1.Durations;
import dev.dormouse.operator.admin.AdminToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, read from environment variables and, when {@code --config FILE} is
 * given, from a properties file with the same names whose entries win over the environment.
 *
 * @param ownerImage owner image for rooms that name none
 * @param redisUrl Redis URL of the Redis the rooms live in
 * @param redisSecretName Secret whose key {@code url} holds REDIS_URL for owner pods, so a password
 *     in it is not copied into pod specs; empty to give owners {@code redisUrl} as it is
 * @param watchNamespaces namespaces whose rooms are served, empty for all
 * @param linkSecretName Secret with key {@code secret} shared by gateways and owners
 * @param healthPort port of /healthz, /readyz and /metrics
 * @param reconcileInterval longest time between two reconciles of a room (Redis activity is no
 *     Kubernetes event)
 * @param leaderElection whether replicas elect a leader through a Lease
 * @param leaseNamespace namespace of the Lease; empty for the client's namespace
 * @param adminToken token of the admin page and API on the health port; empty: they are off
 */
public record OperatorConfig(
    String ownerImage,
    String redisUrl,
    String redisSecretName,
    Set<String> watchNamespaces,
    String linkSecretName,
    int healthPort,
    Duration reconcileInterval,
    boolean leaderElection,
    String leaseNamespace,
    Optional<AdminToken> adminToken) {

  public static final String OWNER_IMAGE = "DORMOUSE_OWNER_IMAGE";
  public static final String REDIS_URL = "REDIS_URL";
  public static final String REDIS_SECRET_NAME = "DORMOUSE_REDIS_SECRET_NAME";
  public static final String WATCH_NAMESPACES = "DORMOUSE_WATCH_NAMESPACES";
  public static final String LINK_SECRET_NAME = "DORMOUSE_LINK_SECRET_NAME";
  public static final String HEALTH_PORT = "DORMOUSE_HEALTH_PORT";
  public static final String RECONCILE_INTERVAL = "DORMOUSE_RECONCILE_INTERVAL";
  public static final String LEADER_ELECTION = "DORMOUSE_LEADER_ELECTION";
  public static final String LEASE_NAMESPACE = "DORMOUSE_LEASE_NAMESPACE";

  /** Or {@code DORMOUSE_ADMIN_TOKEN_FILE}, a file holding it (a Secret's key, mounted), which wins. */
  public static final String ADMIN_TOKEN = "DORMOUSE_ADMIN_TOKEN";

  public static final String DEFAULT_OWNER_IMAGE = "dormouse:latest";
  public static final String DEFAULT_LINK_SECRET_NAME = "dormouse-link";
  public static final int DEFAULT_HEALTH_PORT = 8081;
  public static final String DEFAULT_RECONCILE_INTERVAL = "5s";
  public static final String DEFAULT_LEADER_ELECTION = "true";

  /** What {@code --help} lists: each variable, its default and its meaning. */
  private static final List<List<String>> VARIABLES =
      List.of(
          List.of(
              REDIS_URL,
              "required",
              "URL of the rooms' Redis, read as gateways and owners read it"),
          List.of(OWNER_IMAGE, DEFAULT_OWNER_IMAGE, "owner image for rooms without spec.image"),
          List.of(WATCH_NAMESPACES, "all", "comma-separated namespaces whose rooms are served"),
          List.of(
              LINK_SECRET_NAME,
              DEFAULT_LINK_SECRET_NAME,
              "Secret (key secret) shared by gateways and owners, in each room's namespace"),
          List.of(
              REDIS_SECRET_NAME,
              "empty: owners get REDIS_URL as it is",
              "Secret (key url) owners read REDIS_URL from, keeping a password out of pod specs"),
          List.of(
              HEALTH_PORT,
              String.valueOf(DEFAULT_HEALTH_PORT),
              "port of /healthz, /readyz, /metrics and the summary of all rooms"),
          List.of(
              RECONCILE_INTERVAL,
              DEFAULT_RECONCILE_INTERVAL,
              "longest time between two reconciles of a room"),
          List.of(
              LEADER_ELECTION,
              DEFAULT_LEADER_ELECTION,
              "elect a leader through a Lease, so several replicas can run"),
          List.of(LEASE_NAMESPACE, "the client's namespace", "namespace of that Lease"),
          List.of(
              ADMIN_TOKEN + " / " + ADMIN_TOKEN + "_FILE",
              "unset: the summary of all rooms is off",
              "bearer token (at least 16 bytes) of GET /api/rooms and the page at / on the health"
                  + " port"));

  /** Whether the arguments ask for {@link #usage}, which needs no settings. */
  public static boolean asksForHelp(String[] args) {
    return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
  }

  /** The operator's help: its arguments, then every variable with its default and meaning. */
  public static String usage() {
    StringBuilder text =
        new StringBuilder(
            String.format(
                "usage: java -jar dormouse-operator.jar [--config FILE]%n"
                    + "Configured by environment variables, or by a properties file of the same"
                    + " names given with --config, whose entries win:%n"));
    for (List<String> variable : VARIABLES) {
      String fallback =
          variable.get(1).equals("required") ? "required" : "default: " + variable.get(1);
      text.append(
          String.format("  %s%n      %s (%s)%n", variable.get(0), variable.get(2), fallback));
    }
    return text.toString();
  }

  /** Reads the settings; {@code args} may hold {@code --config FILE}. */
  public static OperatorConfig load(String[] args, Map<String, String> environment)
      throws IOException {
    Map<String, String> settings = new HashMap<>(environment);
    Optional<Path> file = configFile(args);
    if (file.isPresent()) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(file.get())) {
        properties.load(reader);
      }
      properties
          .stringPropertyNames()
          .forEach(name -> settings.put(name, properties.getProperty(name)));
    }
    return from(settings);
  }

  static OperatorConfig from(Map<String, String> settings) {
    String redisUrl = value(settings, REDIS_URL, "");
    if (redisUrl.isBlank()) {
      throw new IllegalArgumentException(REDIS_URL + " is required (e.g. redis://redis:6379)");
    }
    RedisUrl.parse(redisUrl);
    String interval = value(settings, RECONCILE_INTERVAL, DEFAULT_RECONCILE_INTERVAL);
    if (!Durations.isValid(interval)) {
      throw new IllegalArgumentException(
          RECONCILE_INTERVAL + " must be a duration such as 5s, got '" + interval + "'");
    }
    return new OperatorConfig(
        value(settings, OWNER_IMAGE, DEFAULT_OWNER_IMAGE),
        redisUrl,
        value(settings, REDIS_SECRET_NAME, ""),
        Arrays.stream(value(settings, WATCH_NAMESPACES, "").split(","))
            .map(String::trim)
            .filter(ns -> !ns.isEmpty())
            .collect(Collectors.toUnmodifiableSet()),
        value(settings, LINK_SECRET_NAME, DEFAULT_LINK_SECRET_NAME),
        port(value(settings, HEALTH_PORT, String.valueOf(DEFAULT_HEALTH_PORT))),
        Durations.parse(interval),
        Boolean.parseBoolean(value(settings, LEADER_ELECTION, DEFAULT_LEADER_ELECTION)),
        value(settings, LEASE_NAMESPACE, ""),
        adminToken(settings));
  }

  private static Optional<AdminToken> adminToken(Map<String, String> settings) {
    String fileName = ADMIN_TOKEN + "_FILE";
    String file = value(settings, fileName, "");
    String name = file.isEmpty() ? ADMIN_TOKEN : fileName;
    String token;
    if (file.isEmpty()) {
      token = value(settings, ADMIN_TOKEN, "");
      if (token.isEmpty()) {
        return Optional.empty();
      }
    } else {
      try {
        token = Files.readString(Path.of(file)).trim();
      } catch (IOException e) {
        throw new IllegalArgumentException(fileName + ": cannot read " + file + " (" + e + ")", e);
      }
    }
    byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < AdminToken.MIN_BYTES) {
      throw new IllegalArgumentException(
          name + " must hold at least " + AdminToken.MIN_BYTES + " bytes");
    }
    return Optional.of(new AdminToken(bytes));
  }

  private static Optional<Path> configFile(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException("--config needs a file");
        }
        return Optional.of(Path.of(args[i + 1]));
      }
      if (args[i].startsWith("--config=")) {
        return Optional.of(Path.of(args[i].substring("--config=".length())));
      }
      throw new IllegalArgumentException("unknown argument " + args[i] + " (try --help)");
    }
    return Optional.empty();
  }

  private static String value(Map<String, String> settings, String name, String fallback) {
    String value = settings.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          HEALTH_PORT + " must be a port number, got '" + text + "'", e);
    }
  }
}
