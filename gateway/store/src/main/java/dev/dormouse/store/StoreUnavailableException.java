package dev.dormouse.store;

/**
 * Redis could not answer (unreachable, timed out, or refused the command): the store's own failure,
 * whatever client library it runs on. The call may be retried.
 */
public final class StoreUnavailableException extends StoreException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
