package dev.dormouse.node;

import dev.dormouse.contract.RedisUrl;
import java.time.Duration;

/**
 * What both cluster roles read from their environment (docs/architecture.md, "Processes and their
 * configuration").
 *
 * @param redisUrl URL of the Redis the rooms live in, as {@link RedisUrl} reads it
 * @param bindAddress address the role's ports bind to
 * @param adminPort port of /healthz, /readyz and /metrics
 * @param linkPort the owners' link port: where an owner listens, where a gateway finds owner pods
 * @param linkSecret the link's shared secret, inline or from a file
 * @param wakeTimeout how long events wait for a room to wake before they are refused
 */
public record RoleSettings(
    String redisUrl,
    String bindAddress,
    int adminPort,
    int linkPort,
    byte[] linkSecret,
    Duration wakeTimeout) {

  public static final String REDIS_URL = "REDIS_URL";
  public static final String BIND_ADDRESS = "DORMOUSE_BIND_ADDRESS";
  public static final String ADMIN_PORT = "DORMOUSE_ADMIN_PORT";
  public static final String LINK_PORT = "DORMOUSE_LINK_PORT";

  /** Or {@code DORMOUSE_LINK_SECRET_FILE}, a file holding it. */
  public static final String LINK_SECRET = "DORMOUSE_LINK_SECRET";

  public static final String WAKE_TIMEOUT = "DORMOUSE_WAKE_TIMEOUT";

  public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
  public static final int DEFAULT_ADMIN_PORT = 9090;
  public static final int DEFAULT_LINK_PORT = 7070;
  public static final Duration DEFAULT_WAKE_TIMEOUT = Duration.ofSeconds(60);

  static RoleSettings from(Environment env) {
    return new RoleSettings(
        redisUrl(env),
        env.get(BIND_ADDRESS, DEFAULT_BIND_ADDRESS),
        env.port(ADMIN_PORT, DEFAULT_ADMIN_PORT),
        env.port(LINK_PORT, DEFAULT_LINK_PORT),
        env.secret(LINK_SECRET),
        env.duration(WAKE_TIMEOUT, DEFAULT_WAKE_TIMEOUT));
  }

  /**
   * Checked here, not first when connecting, so that a malformed URL stops the role with the other
   * settings errors, before any port opens. RedisUrl's message never holds the password.
   */
  private static String redisUrl(Environment env) {
    String url =
        env.get(REDIS_URL)
            .orElseThrow(
                () ->
                    new BadSettingException(REDIS_URL + " must be set (e.g. redis://redis:6379)"));
    try {
      RedisUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw new BadSettingException(e.getMessage());
    }
    return url;
  }
}
