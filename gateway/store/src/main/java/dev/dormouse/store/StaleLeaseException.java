package dev.dormouse.store;

/** A write refused because the writer's lease is no longer the instance's lease. */
public final class StaleLeaseException extends StoreException {

  public StaleLeaseException(Lease lease) {
    super(
        "lease " + lease.token() + " on " + lease.key() + " is no longer held; write refused",
        null);
  }
}
