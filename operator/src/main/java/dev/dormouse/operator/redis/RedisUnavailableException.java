package dev.dormouse.operator.redis;

/** Redis could not be read or written; the room's status says so and the reconcile is retried. */
public class RedisUnavailableException extends RuntimeException {

  public RedisUnavailableException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
