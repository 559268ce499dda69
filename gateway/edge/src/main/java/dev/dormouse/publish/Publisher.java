package dev.dormouse.publish;

import dev.dormouse.room.RoomKey;
import dev.dormouse.store.ConnectionRecord;
import dev.dormouse.store.ConnectionRecords;
import dev.dormouse.store.PublishStreams;
import dev.dormouse.store.PublishedMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Hands a published message to the gateways holding an instance's connections, from the connection
 * registry, without the room: each gateway's share goes to its stream, this gateway's own too, so
 * that every connection gets published messages in the order their requests were answered,
 * whichever gateway took each request.
 */
final class Publisher {

  private final ConnectionRecords records;
  private final PublishStreams streams;

  Publisher(ConnectionRecords records, PublishStreams streams) {
    this.records = records;
    this.streams = streams;
  }

  /**
   * Reads the instance's connections (synchronously: call it on a worker thread) and completes once
   * every gateway's share is written; fails with the store's {@code StoreUnavailableException}.
   *
   * @param tag only the connections carrying it; empty: every connection
   */
  CompletionStage<Delivery> publish(RoomKey key, Optional<String> tag, boolean text, byte[] body) {
    Map<String, List<String>> byGateway = new LinkedHashMap<>();
    for (Map.Entry<String, ConnectionRecord> connection : records.all(key).entrySet()) {
      ConnectionRecord record = connection.getValue();
      if (tag.isEmpty() || record.tags().contains(tag.get())) {
        byGateway
            .computeIfAbsent(record.gatewayId(), gateway -> new ArrayList<>())
            .add(connection.getKey());
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    List<CompletableFuture<Void>> handoffs = new ArrayList<>();
    int connections = 0;
    for (Map.Entry<String, List<String>> share : byGateway.entrySet()) {
      counts.put(share.getKey(), share.getValue().size());
      connections += share.getValue().size();
      handoffs.add(
          streams
              .append(share.getKey(), new PublishedMessage(share.getValue(), text, body))
              .toCompletableFuture());
    }
    Delivery delivery = new Delivery(connections, counts);
    return CompletableFuture.allOf(handoffs.toArray(CompletableFuture[]::new))
        .thenApply(written -> delivery);
  }
}
