package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link LeaseHolders} on Redis: one GET per key, sent together. */
public final class RedisLeaseHolders implements LeaseHolders {

  private final RedisConnector redis;

  public RedisLeaseHolders(RedisConnector redis) {
    this.redis = redis;
  }

  @Override
  public CompletionStage<Map<RoomKey, String>> holders(Collection<RoomKey> keys) {
    List<RoomKey> asked = List.copyOf(keys);
    List<CompletableFuture<String>> values = new ArrayList<>(asked.size());
    for (RoomKey key : asked) {
      values.add(redis.async().get(RedisKeys.lease(key)).toCompletableFuture());
    }
    return CompletableFuture.allOf(values.toArray(CompletableFuture[]::new))
        .handle(
            (done, error) -> {
              if (error != null) {
                throw new StoreUnavailableException("reading lease holders: " + error, error);
              }
              Map<RoomKey, String> holders = new HashMap<>();
              for (int i = 0; i < asked.size(); i++) {
                String value = values.get(i).join();
                if (value != null) {
                  holders.put(asked.get(i), Lease.holderOf(value));
                }
              }
              return holders;
            });
  }
}
