package dev.dormouse.operator.admin;

import dev.dormouse.contract.BearerToken;

/**
 * The token the operator's admin page and API ask for, as {@code Authorization: Bearer TOKEN}: a
 * {@link BearerToken} at least as long as the gateways' secrets, never printed.
 */
public final class AdminToken {

  /** As short a token as is accepted, as for the gateways' secrets. */
  public static final int MIN_BYTES = 16;

  private final BearerToken token;

  public AdminToken(byte[] token) {
    if (token.length < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the admin token must hold at least " + MIN_BYTES + " bytes");
    }
    this.token = new BearerToken(token);
  }

  /** Whether an {@code Authorization} header value ({@code null} when absent) carries the token. */
  public boolean admits(String authorization) {
    return token.admits(authorization);
  }

  @Override
  public String toString() {
    return "AdminToken[hidden]";
  }
}
