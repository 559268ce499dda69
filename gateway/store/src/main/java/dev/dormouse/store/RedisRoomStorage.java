package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.Storage;
import dev.dormouse.room.StorageBatch;
import dev.dormouse.room.StorageKeyTooLargeException;
import dev.dormouse.room.StorageValue;
import dev.dormouse.room.StorageValueTooLargeException;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A room instance's key–value storage: a Redis hash of the values (as bytes, over a connection that
 * does not decode them) and a sorted set of its keys (all at score 0, so ZRANGEBYLEX lists a prefix
 * in byte order, a page at a time), both under the instance's hash tag. Every write is one script
 * that checks the lease first, so a batch is atomic and a stale owner writes nothing. Limits are
 * checked before anything is sent.
 */
public final class RedisRoomStorage implements Storage {

  /**
   * Fenced: ARGV[1] the lease token, ARGV[2] {@code all} to delete everything first, then operations
   * in order: {@code p key value} or {@code d key}. Answers how many deletes removed a key.
   */
  private static final String WRITE =
      """
      if redis.call('GET', KEYS[1]) ~= ARGV[1] then
        return redis.error_reply('STALE lease')
      end
      if ARGV[2] == 'all' then
        redis.call('DEL', KEYS[2], KEYS[3])
      end
      local deleted = 0
      local i = 3
      while i <= #ARGV do
        if ARGV[i] == 'p' then
          redis.call('HSET', KEYS[2], ARGV[i + 1], ARGV[i + 2])
          redis.call('ZADD', KEYS[3], 0, ARGV[i + 1])
          i = i + 3
        else
          deleted = deleted + redis.call('HDEL', KEYS[2], ARGV[i + 1])
          redis.call('ZREM', KEYS[3], ARGV[i + 1])
          i = i + 2
        end
      end
      return deleted
      """;

  /**
   * ARGV: the ZRANGEBYLEX bounds and the limit. Answers key, value, key, value… A hash written before
   * the key index existed (by an older Dormouse) has more fields than the index: it is indexed first.
   */
  private static final String LIST =
      """
      if redis.call('ZCARD', KEYS[2]) ~= redis.call('HLEN', KEYS[1]) then
        redis.call('DEL', KEYS[2])
        for _, key in ipairs(redis.call('HKEYS', KEYS[1])) do
          redis.call('ZADD', KEYS[2], 0, key)
        end
      end
      local keys = redis.call('ZRANGEBYLEX', KEYS[2], ARGV[1], ARGV[2], 'LIMIT', 0, ARGV[3])
      if #keys == 0 then
        return {}
      end
      local values = redis.call('HMGET', KEYS[1], unpack(keys))
      local entries = {}
      for i, key in ipairs(keys) do
        if values[i] then
          entries[#entries + 1] = key
          entries[#entries + 1] = values[i]
        end
      end
      return entries
      """;

  private static final byte[] NO_FLAG = new byte[0];
  private static final byte[] ALL = bytes("all");
  private static final byte[] PUT = bytes("p");
  private static final byte[] DELETE = bytes("d");

  /**
   * Above every byte of UTF-8 text, which never has 0xFF: the prefix followed by it bounds the range
   * of keys starting with the prefix.
   */
  private static final byte PAST_UTF8 = (byte) 0xFF;

  private final RedisConnector redis;
  private final RedisLeaseStore leases;
  private final Lease lease;
  private final int maxValueBytes;
  private final String[] keys;

  public RedisRoomStorage(
      RedisConnector redis, RedisLeaseStore leases, Lease lease, int maxValueBytes) {
    this.redis = redis;
    this.leases = leases;
    this.lease = lease;
    this.maxValueBytes = maxValueBytes;
    this.keys =
        new String[] {
          lease.redisKey(), RedisKeys.storage(lease.key()), RedisKeys.storageKeys(lease.key())
        };
  }

  @Override
  public Optional<String> get(String key) {
    return getBytes(key).map(StorageValue::ofBytes).map(StorageValue::text);
  }

  @Override
  public Optional<byte[]> getBytes(String key) {
    Objects.requireNonNull(key, "key");
    return Optional.ofNullable(read(() -> redis.binarySync().hget(hash(), key)));
  }

  @Override
  public Map<String, StorageValue> get(Collection<String> wanted) {
    Map<String, StorageValue> found = new LinkedHashMap<>();
    if (wanted.isEmpty()) {
      return found;
    }
    String[] fields = wanted.toArray(String[]::new);
    for (KeyValue<String, byte[]> entry : read(() -> redis.binarySync().hmget(hash(), fields))) {
      if (entry.hasValue()) {
        found.put(entry.getKey(), StorageValue.ofBytes(entry.getValue()));
      }
    }
    return found;
  }

  @Override
  public void put(String key, String value) {
    write(new StorageBatch().put(key, value));
  }

  @Override
  public void put(String key, byte[] value) {
    write(new StorageBatch().put(key, value));
  }

  @Override
  public boolean delete(String key) {
    return write(new StorageBatch().delete(key)) == 1;
  }

  @Override
  public void deleteAll() {
    run(ALL, List.of());
  }

  @Override
  public int write(StorageBatch batch) {
    List<StorageBatch.Operation> operations = batch.operations();
    if (operations.size() > MAX_BATCH_OPERATIONS) {
      throw new IllegalArgumentException(
          "a storage batch of "
              + operations.size()
              + " operations is over the "
              + MAX_BATCH_OPERATIONS
              + " one batch may have; nothing was written");
    }
    List<byte[]> args = new ArrayList<>();
    long bytes = 0;
    for (StorageBatch.Operation operation : operations) {
      byte[] key = checkedKey(operation.key());
      bytes += key.length + (operation.isDelete() ? 0 : operation.value().size());
      if (bytes > MAX_BATCH_BYTES) {
        throw new IllegalArgumentException(
            "a storage batch of more than "
                + MAX_BATCH_BYTES
                + " bytes of keys and values is over the most one batch may have; nothing was"
                + " written");
      }
      if (operation.isDelete()) {
        args.add(DELETE);
        args.add(key);
      } else {
        StorageValue value = operation.value();
        if (value.size() > maxValueBytes) {
          throw new StorageValueTooLargeException(operation.key(), value.size(), maxValueBytes);
        }
        args.add(PUT);
        args.add(key);
        args.add(value.bytes());
      }
    }
    return run(NO_FLAG, args);
  }

  @Override
  public Map<String, StorageValue> list(String prefix, String startAfter, int limit) {
    Objects.requireNonNull(prefix, "prefix");
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new IllegalArgumentException(
          "a storage list's limit must be 1 … " + MAX_LIST_LIMIT + ", got " + limit);
    }
    byte[] from = bytes(prefix);
    byte[] min = lowerBound(from, startAfter);
    byte[] max = from.length == 0 ? bytes("+") : bound('(', concat(from, PAST_UTF8));
    List<Object> flat =
        read(
            () ->
                redis
                    .binarySync()
                    .eval(
                        LIST,
                        ScriptOutputType.MULTI,
                        new String[] {keys[1], keys[2]},
                        min,
                        max,
                        bytes(Integer.toString(limit))));
    Map<String, StorageValue> entries = new LinkedHashMap<>();
    for (int i = 0; i + 1 < flat.size(); i += 2) {
      entries.put(
          new String((byte[]) flat.get(i), StandardCharsets.UTF_8),
          StorageValue.ofBytes((byte[]) flat.get(i + 1)));
    }
    return entries;
  }

  /** From the prefix on, or after {@code startAfter} when that comes later. */
  private static byte[] lowerBound(byte[] prefix, String startAfter) {
    if (startAfter != null && Arrays.compareUnsigned(bytes(startAfter), prefix) >= 0) {
      return bound('(', bytes(startAfter));
    }
    return prefix.length == 0 ? bytes("-") : bound('[', prefix);
  }

  private int run(byte[] flag, List<byte[]> operations) {
    byte[][] argv = new byte[2 + operations.size()][];
    argv[0] = bytes(lease.token());
    argv[1] = flag;
    for (int i = 0; i < operations.size(); i++) {
      argv[2 + i] = operations.get(i);
    }
    Long deleted =
        leases.underLease(
            lease,
            "writing the storage of " + lease.key(),
            () -> redis.binarySync().eval(WRITE, ScriptOutputType.INTEGER, keys, argv));
    return deleted.intValue();
  }

  private static byte[] checkedKey(String key) {
    byte[] encoded = bytes(key);
    if (encoded.length > MAX_KEY_BYTES) {
      throw new StorageKeyTooLargeException(key, encoded.length);
    }
    return encoded;
  }

  private String hash() {
    return keys[1];
  }

  private <T> T read(Supplier<T> command) {
    return RedisCalls.call("reading the storage of " + lease.key(), command);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bound(char kind, byte[] key) {
    return concat(new byte[] {(byte) kind}, key);
  }

  private static byte[] concat(byte[] first, byte... second) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(first.length + second.length);
    out.writeBytes(first);
    out.writeBytes(second);
    return out.toByteArray();
  }
}
