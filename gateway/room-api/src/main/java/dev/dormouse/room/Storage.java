package dev.dormouse.room;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Durable key–value storage of one room instance, shared by all its activations. Values are bytes,
 * stored exactly; text is stored as its UTF-8 bytes, so a value put as text reads back as either.
 * Every write goes under the instance's lease: a write from an owner that lost it throws and writes
 * nothing. Keys are ordered by their UTF-8 bytes (code point order), as in Durable Objects.
 */
public interface Storage {

  /** Longest key, in UTF-8 bytes (as in Durable Objects). */
  int MAX_KEY_BYTES = 2048;

  /** Most entries one {@link #list} returns; page on with its {@code startAfter}. */
  int MAX_LIST_LIMIT = 1000;

  /** Most puts and deletes in one {@link #write}. */
  int MAX_BATCH_OPERATIONS = 1000;

  /**
   * Most bytes of keys and values (UTF-8) in one {@link #write}, 16 MiB: a batch is one Redis
   * script, which holds Redis for every room while it runs.
   */
  int MAX_BATCH_BYTES = 16 << 20;

  /**
   * The value as text.
   *
   * @throws IllegalStateException when the value is not UTF-8 text: read it with {@link #getBytes}
   */
  Optional<String> get(String key);

  Optional<byte[]> getBytes(String key);

  /** The values of those of {@code keys} that exist, in the order of {@code keys}. */
  Map<String, StorageValue> get(Collection<String> keys);

  /**
   * @throws StorageKeyTooLargeException past {@link #MAX_KEY_BYTES}
   * @throws StorageValueTooLargeException past the room's {@code spec.limits.maxStorageValueBytes}
   */
  void put(String key, String value);

  /** {@link #put(String, String)} for bytes, stored exactly. */
  void put(String key, byte[] value);

  /** Removes the key; true when it existed. */
  boolean delete(String key);

  /** Removes every key of the instance. */
  void deleteAll();

  /**
   * Up to {@code limit} entries whose keys start with {@code prefix} ({@code ""}: every key); the
   * map iterates in key order. Costs O(log n + limit) in Redis, whatever the number of keys n.
   *
   * @throws IllegalArgumentException when {@code limit} is not 1 … {@link #MAX_LIST_LIMIT}
   */
  default Map<String, StorageValue> list(String prefix, int limit) {
    return list(prefix, null, limit);
  }

  /**
   * As {@link #list(String, int)}, beginning after the key {@code startAfter} ({@code null}: from
   * the first), so that a caller pages through many keys with the last key of each page.
   */
  Map<String, StorageValue> list(String prefix, String startAfter, int limit);

  /**
   * Applies the batch's puts and deletes, in order, atomically: all of it or, when it throws, none of
   * it (a limit passed, a lost lease, Redis unavailable).
   *
   * @return how many of the batch's deletes removed a key that existed
   * @throws IllegalArgumentException past {@link #MAX_BATCH_OPERATIONS} operations or {@link
   *     #MAX_BATCH_BYTES} bytes of keys and values
   */
  int write(StorageBatch batch);
}
