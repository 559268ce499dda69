package dev.dormouse.operator.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The token the operator's admin page and API ask for, as {@code Authorization: Bearer TOKEN}. Kept
 * as a digest, compared in constant time, and never printed.
 */
public final class AdminToken {

  /** As short a token as is accepted, as for the gateways' secrets. */
  public static final int MIN_BYTES = 16;

  private static final String BEARER = "bearer ";

  private final byte[] digest;

  public AdminToken(byte[] token) {
    if (token.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the admin token must hold at least " + MIN_BYTES + " bytes");
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

  @Override
  public String toString() {
    return "AdminToken[hidden]";
  }
}
