package dev.dormouse.room;

/** A storage value larger than the room's {@code spec.limits.maxStorageValueBytes}; nothing was written. */
public class StorageValueTooLargeException extends IllegalArgumentException {

  public StorageValueTooLargeException(String key, int size, int limit) {
    super(
        "storage value of key '"
            + StorageKeyTooLargeException.shown(key)
            + "' is "
            + size
            + " bytes, over spec.limits.maxStorageValueBytes ("
            + limit
            + "); nothing was written");
  }
}
