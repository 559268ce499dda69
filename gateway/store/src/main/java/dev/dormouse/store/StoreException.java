package dev.dormouse.store;

/**
 * The store could not do what was asked. Callers outside the store see only this family, never the
 * Redis client's own exceptions: {@link StoreUnavailableException} when Redis could not be reached or
 * answered with an error, {@link StaleLeaseException} when a write was refused because its lease has
 * passed to another owner.
 */
public abstract class StoreException extends RuntimeException {

  protected StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
