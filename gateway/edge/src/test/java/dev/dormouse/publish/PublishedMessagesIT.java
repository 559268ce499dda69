package dev.dormouse.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.gateway.ClientConnections;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.ConnectionCounts;
import dev.dormouse.store.PublishStreams;
import dev.dormouse.store.PublishedMessage;
import dev.dormouse.store.RedisConnector;
import dev.dormouse.store.RedisPublishStreams;
import dev.dormouse.testing.EmbeddedRedisExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A gateway's reader of its stream, on a real Redis, with none of the connections still open. */
@ExtendWith(EmbeddedRedisExtension.class)
class PublishedMessagesIT {

  RedisPublishStreams streams;
  Metrics metrics;
  PublishedMessages reader;
  ClientConnections connections;

  @BeforeEach
  void start(RedisConnector redis) {
    redis.sync().flushall();
    streams = new RedisPublishStreams(redis);
    metrics = new Metrics();
    connections =
        new ClientConnections(
            "gw-r",
            1 << 20,
            new ConnectionCounts(redis),
            metrics,
            new ClientConnections.Tracker() {
              @Override
              public void opened(RoomKey key, String connectionId) {}

              @Override
              public CompletionStage<Boolean> closed(RoomKey key, String connectionId) {
                return CompletableFuture.completedFuture(true);
              }
            });
  }

  @AfterEach
  void stop() {
    if (reader != null) {
      reader.close();
    }
    streams.close();
  }

  void append(String... connectionIds) throws Exception {
    streams
        .append("gw-r", new PublishedMessage(List.of(connectionIds), true, new byte[] {'x'}))
        .toCompletableFuture()
        .get(5, TimeUnit.SECONDS);
  }

  double dropped() {
    return metrics.registry().get("dormouse_publish_dropped").counter().count();
  }

  @Test
  void aMessageForConnectionsThatClosedIsDroppedAndCounted() throws Exception {
    reader = new PublishedMessages(streams, "gw-r", connections, metrics).start();
    append("gw-r.1", "gw-r.2");
    await().until(() -> dropped() == 2);
    assertThat(metrics.registry().get("dormouse_publish_deliveries").counter().count()).isZero();
  }

  @Test
  void aReaderStartsAfterWhatItsStreamHeldWhenItsGatewayStarted() throws Exception {
    // For connections of an earlier process with this gateway id, whose numbers start over.
    append("gw-r.1", "gw-r.2", "gw-r.3");
    reader = new PublishedMessages(streams, "gw-r", connections, metrics).start();
    append("gw-r.1");
    // Entries are read in order: had the old one been read, it would be counted by now.
    await().until(() -> dropped() >= 1);
    assertThat(dropped()).isEqualTo(1);
  }

  @Test
  void aReaderCarriesOnAfterAnUnexpectedFailureOfARead() throws Exception {
    AtomicBoolean thrown = new AtomicBoolean();
    PublishStreams failingOnce =
        new PublishStreams() {
          @Override
          public CompletionStage<Void> append(String gatewayId, PublishedMessage message) {
            return streams.append(gatewayId, message);
          }

          @Override
          public String lastId(String gatewayId) {
            return streams.lastId(gatewayId);
          }

          @Override
          public List<Entry> read(String gatewayId, String afterId, Duration block, int count) {
            if (thrown.compareAndSet(false, true)) {
              throw new IllegalStateException("a bug in a decoder, say");
            }
            return streams.read(gatewayId, afterId, block, count);
          }

          @Override
          public void close() {}
        };
    reader = new PublishedMessages(failingOnce, "gw-r", connections, metrics).start();
    await().untilTrue(thrown);
    append("gw-r.1");
    await().until(() -> dropped() == 1);
  }
}
