package dev.dormouse.room;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Puts and deletes that {@link Storage#write} applies in order, all or nothing:
 * {@code storage.write(new StorageBatch().put("a", "1").delete("b"))}.
 */
public final class StorageBatch {

  /** One step: a put of {@code value}, or a delete when it is null. */
  public record Operation(String key, StorageValue value) {
    public Operation {
      Objects.requireNonNull(key, "key");
    }

    public boolean isDelete() {
      return value == null;
    }
  }

  private final List<Operation> operations = new ArrayList<>();

  public StorageBatch put(String key, String value) {
    operations.add(new Operation(key, StorageValue.ofText(value)));
    return this;
  }

  public StorageBatch put(String key, byte[] value) {
    operations.add(new Operation(key, StorageValue.ofBytes(value)));
    return this;
  }

  public StorageBatch delete(String key) {
    operations.add(new Operation(key, null));
    return this;
  }

  /** The steps so far, in order. */
  public List<Operation> operations() {
    return List.copyOf(operations);
  }
}
