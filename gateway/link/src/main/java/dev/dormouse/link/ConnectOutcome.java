package dev.dormouse.link;

import dev.dormouse.room.AutoResponsePair;
import java.util.Optional;

/**
 * The room's answer to a connect: accepted (with the room's current auto-response pair, so the gateway
 * can answer it from now on), or refused with an HTTP status and body.
 */
public record ConnectOutcome(
    boolean accepted, int status, String body, Optional<AutoResponsePair> autoResponse) {

  public static ConnectOutcome accepted(Optional<AutoResponsePair> autoResponse) {
    return new ConnectOutcome(true, HttpStatus.SWITCHING_PROTOCOLS, "", autoResponse);
  }

  public static ConnectOutcome refused(int status, String body) {
    return new ConnectOutcome(false, status, body, Optional.empty());
  }

  public static ConnectOutcome refused(Refusal refusal) {
    return refused(refusal.httpStatus(), refusal.reason());
  }
}
