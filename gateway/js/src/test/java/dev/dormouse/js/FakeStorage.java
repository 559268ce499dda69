package dev.dormouse.js;

import dev.dormouse.room.Storage;
import dev.dormouse.room.StorageBatch;
import dev.dormouse.room.StorageKeyTooLargeException;
import dev.dormouse.room.StorageValue;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Storage in memory, in the order of Redis's (code points), with its key limit. */
final class FakeStorage implements Storage {

  final TreeMap<String, StorageValue> entries = new TreeMap<>(StorageListing::compare);

  @Override
  public synchronized Optional<String> get(String key) {
    return Optional.ofNullable(entries.get(key)).map(StorageValue::text);
  }

  @Override
  public synchronized Optional<byte[]> getBytes(String key) {
    return Optional.ofNullable(entries.get(key)).map(StorageValue::bytes);
  }

  @Override
  public synchronized Map<String, StorageValue> get(Collection<String> keys) {
    Map<String, StorageValue> found = new LinkedHashMap<>();
    for (String key : keys) {
      if (entries.containsKey(key)) {
        found.put(key, entries.get(key));
      }
    }
    return found;
  }

  @Override
  public synchronized void put(String key, String value) {
    checkKey(key);
    entries.put(key, StorageValue.ofText(value));
  }

  @Override
  public synchronized void put(String key, byte[] value) {
    checkKey(key);
    entries.put(key, StorageValue.ofBytes(value));
  }

  @Override
  public synchronized boolean delete(String key) {
    return entries.remove(key) != null;
  }

  @Override
  public synchronized void deleteAll() {
    entries.clear();
  }

  @Override
  public synchronized Map<String, StorageValue> list(String prefix, String startAfter, int limit) {
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new IllegalArgumentException("limit " + limit);
    }
    Map<String, StorageValue> page = new LinkedHashMap<>();
    var tail = startAfter == null ? entries : entries.tailMap(startAfter, false);
    for (Map.Entry<String, StorageValue> entry : tail.entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        page.put(entry.getKey(), entry.getValue());
        if (page.size() == limit) {
          break;
        }
      }
    }
    return page;
  }

  @Override
  public synchronized int write(StorageBatch batch) {
    int deleted = 0;
    for (StorageBatch.Operation operation : batch.operations()) {
      checkKey(operation.key());
    }
    for (StorageBatch.Operation operation : batch.operations()) {
      if (operation.isDelete()) {
        deleted += entries.remove(operation.key()) != null ? 1 : 0;
      } else {
        entries.put(operation.key(), operation.value());
      }
    }
    return deleted;
  }

  private static void checkKey(String key) {
    int size = key.getBytes(StandardCharsets.UTF_8).length;
    if (size > MAX_KEY_BYTES) {
      throw new StorageKeyTooLargeException(key, size);
    }
  }
}
