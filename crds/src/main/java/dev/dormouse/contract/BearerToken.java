package dev.dormouse.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * A bearer token callers must present ({@code Authorization: Bearer <token>}). Compared as SHA-256
 * digests in constant time, so neither the token's bytes nor its length can be timed out of the
 * comparison.
 */
public final class BearerToken {

  private static final String BEARER = "bearer ";

  private final byte[] digest;

  public BearerToken(byte[] token) {
    if (token.length == 0) {
      throw new IllegalArgumentException("empty token");
    }
    digest = sha256(token);
  }

  /** Whether an {@code Authorization} header value ({@code null} when absent) carries the token. */
  public boolean admits(String authorization) {
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return false;
    }
    byte[] presented =
        authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(digest, sha256(presented));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
