package dev.dormouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.crd.v1alpha1.Limits;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.Storage;
import dev.dormouse.room.StorageBatch;
import dev.dormouse.room.StorageKeyTooLargeException;
import dev.dormouse.room.StorageValue;
import dev.dormouse.room.StorageValueTooLargeException;
import dev.dormouse.store.Lease;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RedisLeaseStore;
import dev.dormouse.store.RoomStores;
import dev.dormouse.store.StaleLeaseException;
import dev.dormouse.testing.EmbeddedRedisExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A room's storage on a real Redis, as room code sees it (the store's {@code RedisRoomStorage}
 * behind {@link RoomStores}): bytes kept exactly, listing in key order, the atomic batch, and limits
 * and stale leases refused with nothing written, read back from Redis itself.
 */
@ExtendWith(EmbeddedRedisExtension.class)
class RoomStorageIT {

  private static final Duration TTL = Duration.ofSeconds(30);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  static RedisConnector redis;

  @BeforeAll
  static void connect(RedisConnector connection) {
    redis = connection;
  }

  /** A fresh instance per test, with its lease taken by owner-a. */
  private final RoomKey key = new RoomKey("default", "store", "i" + INSTANCES.incrementAndGet());

  private final Lease lease = new RedisLeaseStore(redis, TTL).acquire(key, "owner-a").lease();

  private Storage storage(int maxValueBytes) {
    return RoomStores.over(redis, TTL).storage(lease, maxValueBytes);
  }

  private Storage storage() {
    return storage(Limits.DEFAULT_MAX_STORAGE_VALUE_BYTES);
  }

  private Map<String, String> rawHash() {
    return redis.sync().hgetall(RedisKeys.storage(key));
  }

  private List<String> rawIndex() {
    return redis.sync().zrange(RedisKeys.storageKeys(key), 0, -1);
  }

  private static byte[] everyByte() {
    byte[] bytes = new byte[512];
    for (int i = 0; i < 256; i++) {
      bytes[i] = (byte) i;
      bytes[511 - i] = (byte) i;
    }
    return bytes;
  }

  @Test
  void everyByteValueRoundTripsExactly() {
    byte[] value = everyByte();
    storage().put("blob", value);
    storage().write(new StorageBatch().put("batched", value));

    Storage later = storage();
    assertThat(later.getBytes("blob")).hasValueSatisfying(b -> assertThat(b).isEqualTo(value));
    assertThat(later.get(List.of("batched", "blob")))
        .containsExactly(
            Map.entry("batched", StorageValue.ofBytes(value)),
            Map.entry("blob", StorageValue.ofBytes(value)));
    assertThat(later.list("", 10).get("blob").bytes()).isEqualTo(value);
    assertThatThrownBy(() -> later.get("blob"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not UTF-8 text");
  }

  @Test
  void textIsItsUtf8BytesAndTextWrittenBeforeBytesExistedStaysReadable() {
    // As the String codec of earlier versions wrote it, with no key index beside it.
    redis.sync().hset(RedisKeys.storage(key), "old", "héllo ✓");
    storage().put("new", "wörld");

    assertThat(storage().get("old")).contains("héllo ✓");
    assertThat(storage().getBytes("new"))
        .hasValueSatisfying(b -> assertThat(b).isEqualTo("wörld".getBytes(StandardCharsets.UTF_8)));
    assertThat(storage().list("", 10)).containsOnlyKeys("new", "old");
    assertThat(rawIndex()).as("indexed once listed").containsExactly("new", "old");
  }

  @Test
  void listsByPrefixInUtf8OrderALimitedPageAtATime() {
    List<String> keys =
        List.of("b", "a/2", "a/10", "a/1", "a", "ab", "a/\uFFFD", "a/\uD83D\uDE00", "a/é", "a");
    StorageBatch batch = new StorageBatch();
    keys.forEach(k -> batch.put(k, "v:" + k));
    storage().write(batch);

    // UTF-8 byte order is code point order: U+FFFD before U+1F600, unlike Java's String order.
    List<String> prefixed = List.of("a/1", "a/10", "a/2", "a/é", "a/\uFFFD", "a/\uD83D\uDE00");
    assertThat(storage().list("a/", 100).keySet()).containsExactlyElementsOf(prefixed);
    assertThat(storage().list("a/", 2).keySet()).containsExactly("a/1", "a/10");
    assertThat(storage().list("a/", "a/10", 2).keySet()).containsExactly("a/2", "a/é");
    assertThat(storage().list("a/", "a/\uD83D\uDE00", 2)).isEmpty();
    assertThat(storage().list("a/", "0", 1).keySet())
        .as("startAfter before the prefix")
        .containsExactly("a/1");
    assertThat(storage().list("", 100).keySet())
        .containsExactly("a", "a/1", "a/10", "a/2", "a/é", "a/\uFFFD", "a/\uD83D\uDE00", "ab", "b");
    assertThat(storage().list("a/1", 10).get("a/10").text()).isEqualTo("v:a/10");
    assertThat(storage().list("zzz", 10)).isEmpty();
  }

  @Test
  void aListLimitOutsideOneToTheMaximumIsRefused() {
    assertThatThrownBy(() -> storage().list("", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 … 1000, got 0");
    assertThatThrownBy(() -> storage().list("", Storage.MAX_LIST_LIMIT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deleteSaysWhetherTheKeyExistedAndDeleteAllLeavesNothing() {
    storage().write(new StorageBatch().put("a", "1").put("b", "2").put("c", "3"));

    assertThat(storage().delete("a")).isTrue();
    assertThat(storage().delete("a")).isFalse();
    assertThat(storage().list("", 10)).containsOnlyKeys("b", "c");

    storage().deleteAll();
    assertThat(storage().list("", 10)).isEmpty();
    assertThat(redis.sync().exists(RedisKeys.storage(key), RedisKeys.storageKeys(key))).isZero();
  }

  @Test
  void aBatchAppliesItsStepsInOrder() {
    storage().put("gone", "x");

    int deleted =
        storage()
            .write(
                new StorageBatch()
                    .put("a", "1")
                    .delete("gone")
                    .put("b", "2")
                    .delete("a")
                    .delete("never")
                    .put("a", "3"));

    assertThat(deleted).isEqualTo(2);
    assertThat(rawHash()).containsExactlyInAnyOrderEntriesOf(Map.of("a", "3", "b", "2"));
    assertThat(rawIndex()).containsExactly("a", "b");
  }

  @Test
  void aBatchUnderAStaleLeaseIsRefusedAsAWholeAndWritesNothing() {
    storage().write(new StorageBatch().put("kept", "1").put("other", "2"));
    Storage stale = storage();
    // The lease expired and another owner took it (a new epoch).
    redis.sync().del(RedisKeys.lease(key));
    Lease taken = new RedisLeaseStore(redis, TTL).acquire(key, "owner-b").lease();
    assertThat(taken.epoch()).isGreaterThan(lease.epoch());
    Map<String, String> before = rawHash();

    assertThatThrownBy(
            () ->
                stale.write(
                    new StorageBatch().put("new", "x").delete("kept").put("other", "changed")))
        .isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(stale::deleteAll).isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(() -> stale.put("new", new byte[] {1}))
        .isInstanceOf(StaleLeaseException.class);
    assertThatThrownBy(() -> stale.delete("kept")).isInstanceOf(StaleLeaseException.class);

    assertThat(rawHash()).isEqualTo(before).containsOnlyKeys("kept", "other");
    assertThat(rawIndex()).containsExactly("kept", "other");
  }

  @Test
  void aValueOverTheLimitIsRefusedNamingKeySizeAndLimitAndNothingOfItsBatchIsWritten() {
    Storage limited = storage(1024);
    limited.put("at-limit", new byte[1024]);

    assertThatThrownBy(
            () -> limited.write(new StorageBatch().put("small", "ok").put("big", new byte[1025])))
        .isInstanceOf(StorageValueTooLargeException.class)
        .hasMessage(
            "storage value of key 'big' is 1025 bytes, over spec.limits.maxStorageValueBytes"
                + " (1024); nothing was written");
    assertThatThrownBy(() -> limited.put("big", "é".repeat(513)))
        .isInstanceOf(StorageValueTooLargeException.class)
        .hasMessageContaining("1026 bytes");

    assertThat(rawHash()).containsOnlyKeys("at-limit");
    assertThat(rawIndex()).containsExactly("at-limit");
  }

  @Test
  void aKeyOverTwoKibibytesIsRefusedAndNothingWritten() {
    String atLimit = "é".repeat(1024); // 2048 bytes
    storage().put(atLimit, "fits");

    assertThatThrownBy(
            () -> storage().write(new StorageBatch().put("small", "ok").put(atLimit + "x", "v")))
        .isInstanceOf(StorageKeyTooLargeException.class)
        .hasMessageContaining("is 2049 bytes, over the 2048 a key may have");

    assertThat(storage().get(atLimit)).contains("fits");
    assertThat(rawHash()).containsOnlyKeys(atLimit);
  }

  @Test
  void manyKeysAreReadInTheOrderAskedAndMissingOnesLeftOut() {
    storage().write(new StorageBatch().put("x", "1").put("y", "2"));

    assertThat(storage().get(List.of("y", "missing", "x")))
        .containsExactly(
            Map.entry("y", StorageValue.ofText("2")), Map.entry("x", StorageValue.ofText("1")));
    assertThat(storage().get(List.of())).isEmpty();
  }

  @Test
  void aBatchOverTheMostOperationsIsRefused() {
    StorageBatch batch = new StorageBatch();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i <= Storage.MAX_BATCH_OPERATIONS; i++) {
      keys.add("k" + i);
      batch.put("k" + i, "v");
    }

    assertThatThrownBy(() -> storage().write(batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1001 operations");
    assertThat(storage().get(keys)).isEmpty();
  }

  @Test
  void aBatchOverTheMostBytesIsRefusedBeforeAnythingIsSent() {
    // Two values at the largest a room may allow, and their keys: just over the batch's bytes.
    int largestValue = Storage.MAX_BATCH_BYTES / 2;
    Storage large = storage(largestValue);
    StorageBatch batch =
        new StorageBatch().put("a", new byte[largestValue]).put("b", new byte[largestValue]);

    assertThatThrownBy(() -> large.write(batch))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a storage batch of more than 16777216 bytes of keys and values is over the most one"
                + " batch may have; nothing was written");
    assertThat(rawHash()).isEmpty();
  }
}
