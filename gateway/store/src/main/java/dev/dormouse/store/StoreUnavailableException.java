package dev.dormouse.store;

/** Redis could not be reached, did not answer in time, or answered with an error: the call may be retried. */
public final class StoreUnavailableException extends StoreException {

  public StoreUnavailableException(Throwable cause) {
    super("store unavailable: " + cause.getMessage(), cause);
  }
}
