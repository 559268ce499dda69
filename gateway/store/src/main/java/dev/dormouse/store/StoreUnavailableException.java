package dev.dormouse.store;

/**
 * Redis could not answer (unreachable, timed out, or refused the command): the store's own failure,
 * whatever client library it runs on.
 */
public class StoreUnavailableException extends RuntimeException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
