package dev.dormouse.admin;

import dev.dormouse.contract.BearerToken;
import java.util.Optional;

/**
 * Who may use the admin page and its API. Outside {@code dev} they are off unless a token is set,
 * and then every request must carry it. In {@code dev} (one machine, its own user) reading is open,
 * and what changes an instance (hibernate, wake) needs the token only if one is set.
 */
public final class AdminAccess {

  /** What a request may do. */
  public enum Verdict {
    ALLOWED,
    /** Not served at all: no token is set outside {@code dev}. */
    OFF,
    /** A token is needed and none was presented (401). */
    NO_TOKEN,
    /** A token was presented, and it is not the one (403). */
    WRONG_TOKEN
  }

  private final boolean dev;
  private final Optional<BearerToken> token;
  private final String howToTurnOn;

  private AdminAccess(boolean dev, Optional<byte[]> token, String howToTurnOn) {
    this.dev = dev;
    this.token = token.map(BearerToken::new);
    this.howToTurnOn = howToTurnOn;
  }

  /** The local run's rule. */
  public static AdminAccess dev(Optional<byte[]> token) {
    return new AdminAccess(true, token, "");
  }

  /**
   * A cluster role's rule.
   *
   * @param howToTurnOn what the answer to a request says while no token is set
   */
  public static AdminAccess cluster(Optional<byte[]> token, String howToTurnOn) {
    return new AdminAccess(false, token, howToTurnOn);
  }

  /**
   * @param changes whether the request changes something (a POST)
   * @param authorization the request's {@code Authorization} header, null when absent
   */
  public Verdict check(boolean changes, String authorization) {
    if (token.isEmpty()) {
      return dev ? Verdict.ALLOWED : Verdict.OFF;
    }
    if (dev && !changes) {
      return Verdict.ALLOWED;
    }
    if (authorization == null) {
      return Verdict.NO_TOKEN;
    }
    return token.get().admits(authorization) ? Verdict.ALLOWED : Verdict.WRONG_TOKEN;
  }

  /** Why a request was turned away, for its JSON answer; empty when it was not. */
  public Optional<AdminReplies.Error> refusal(Verdict verdict) {
    return switch (verdict) {
      case ALLOWED -> Optional.empty();
      case OFF ->
          Optional.of(
              new AdminReplies.Error(404, "the admin page and API are off: " + howToTurnOn));
      case NO_TOKEN ->
          Optional.of(
              new AdminReplies.Error(401, "send the admin token as Authorization: Bearer <token>"));
      case WRONG_TOKEN -> Optional.of(new AdminReplies.Error(403, "wrong admin token"));
    };
  }
}
