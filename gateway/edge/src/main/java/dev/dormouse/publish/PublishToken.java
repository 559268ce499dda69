package dev.dormouse.publish;

import dev.dormouse.contract.BearerToken;

/** The bearer token that callers of the publish API must present. */
public final class PublishToken {

  private final BearerToken token;

  public PublishToken(byte[] token) {
    if (token.length == 0) {
      throw new IllegalArgumentException("empty publish token");
    }
    this.token = new BearerToken(token);
  }

  /** Whether an {@code Authorization} header value ({@code null} when absent) carries the token. */
  public boolean admits(String authorization) {
    return token.admits(authorization);
  }
}
