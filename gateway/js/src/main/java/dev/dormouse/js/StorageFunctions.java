package dev.dormouse.js;

import dev.dormouse.room.RoomContext;
import dev.dormouse.room.StorageBatch;
import dev.dormouse.room.StorageValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * The host calls behind {@code ctx.storage}: values arrive as the structured clone's text (stored as
 * its UTF-8 bytes), several entries as flat arrays {@code [key, value, key, value, …]}; several puts
 * or deletes are one atomic batch.
 */
final class StorageFunctions {

  private final RoomContext ctx;

  StorageFunctions(RoomContext ctx) {
    this.ctx = ctx;
  }

  void addTo(HostObject host) {
    host.with("get", args -> ctx.storage().get(args[0].asString()).orElse(null))
        .with("getMany", args -> flat(inKeyOrder(ctx.storage().get(Args.strings(args[0])))))
        .with(
            "put",
            args -> {
              ctx.storage().put(args[0].asString(), args[1].asString());
              return null;
            })
        .with("putMany", args -> ctx.storage().write(puts(args[0])))
        .with("delete", args -> ctx.storage().delete(args[0].asString()))
        .with("deleteMany", args -> ctx.storage().write(deletes(args[0])))
        .with(
            "deleteAll",
            args -> {
              ctx.storage().deleteAll();
              return null;
            })
        .with(
            "list",
            args ->
                flat(
                    new StorageListing(
                            Args.string(args[0]),
                            Args.string(args[1]),
                            Args.string(args[2]),
                            Args.string(args[3]),
                            args[4].asBoolean(),
                            args[5].asInt())
                        .read(ctx.storage())))
        .with("getAlarm", args -> ctx.getAlarm().map(at -> (Object) at.toEpochMilli()).orElse(null))
        .with(
            "setAlarm",
            args -> {
              ctx.setAlarm(Instant.ofEpochMilli(args[0].asLong()));
              return null;
            })
        .with(
            "deleteAlarm",
            args -> {
              ctx.deleteAlarm();
              return null;
            });
  }

  private static StorageBatch puts(Value flat) {
    StorageBatch batch = new StorageBatch();
    List<String> items = Args.strings(flat);
    for (int i = 0; i + 1 < items.size(); i += 2) {
      batch.put(items.get(i), items.get(i + 1));
    }
    return batch;
  }

  private static StorageBatch deletes(Value keys) {
    StorageBatch batch = new StorageBatch();
    Args.strings(keys).forEach(batch::delete);
    return batch;
  }

  /** workerd answers a get of many keys in key order, whatever order they were asked in. */
  private static List<Map.Entry<String, StorageValue>> inKeyOrder(Map<String, StorageValue> found) {
    List<Map.Entry<String, StorageValue>> entries = new ArrayList<>(found.entrySet());
    entries.sort((a, b) -> StorageListing.compare(a.getKey(), b.getKey()));
    return entries;
  }

  private static ProxyArray flat(Collection<Map.Entry<String, StorageValue>> entries) {
    List<Object> items = new ArrayList<>(entries.size() * 2);
    for (Map.Entry<String, StorageValue> entry : entries) {
      items.add(entry.getKey());
      items.add(entry.getValue().text());
    }
    return ProxyArray.fromList(items);
  }
}
