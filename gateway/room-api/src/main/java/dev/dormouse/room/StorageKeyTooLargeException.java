package dev.dormouse.room;

/** A storage key longer than {@link Storage#MAX_KEY_BYTES} in UTF-8; nothing was written. */
public class StorageKeyTooLargeException extends IllegalArgumentException {

  private static final int SHOWN_CHARS = 64;

  public StorageKeyTooLargeException(String key, int size) {
    super(
        "storage key '"
            + shown(key)
            + "' is "
            + size
            + " bytes, over the "
            + Storage.MAX_KEY_BYTES
            + " a key may have; nothing was written");
  }

  /** The key's start, enough to recognise it in a message without quoting kilobytes. */
  static String shown(String key) {
    return key.length() <= SHOWN_CHARS ? key : key.substring(0, SHOWN_CHARS) + "…";
  }
}
