package dev.dormouse.testing;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.time.Duration;

/** What a Lettuce {@link RedisURI} will log in with: the test's view of a parsed REDIS_URL. */
public final class RedisCredentialsOf {

  private RedisCredentialsOf() {}

  public static RedisCredentials uri(RedisURI uri) {
    return uri.getCredentialsProvider().resolveCredentials().block(Duration.ofSeconds(1));
  }
}
