package dev.dormouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Gateways' streams of published messages on a real Redis. */
class RedisPublishStreamsIT {

  private EmbeddedRedis server;
  private RedisConnector redis;
  private RedisPublishStreams streams;

  @BeforeEach
  void start() throws Exception {
    server = EmbeddedRedis.start();
    redis = RedisConnector.connect(server.url());
    streams = new RedisPublishStreams(redis);
  }

  @AfterEach
  void stop() throws Exception {
    streams.close();
    redis.close();
    server.close();
  }

  void append(String gateway, PublishedMessage message) throws Exception {
    streams.append(gateway, message).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void entriesAreReadInOrderFromAfterAnIdWithTheirBytesIntact() throws Exception {
    assertThat(streams.lastId("gw-1")).isEqualTo(PublishStreams.START);
    byte[] binary = {0, (byte) 0xff, '\n', (byte) 0xc3};
    append("gw-1", new PublishedMessage(List.of("gw-1.1", "gw-1.2"), false, binary));
    String first = streams.lastId("gw-1");
    append("gw-1", new PublishedMessage(List.of("gw-1.2"), true, "héllo".getBytes("UTF-8")));
    append("gw-2", new PublishedMessage(List.of("gw-2.1"), true, new byte[0]));

    List<PublishStreams.Entry> all =
        streams.read("gw-1", PublishStreams.START, Duration.ofMillis(100), 10);
    assertThat(all).hasSize(2);
    assertThat(all.get(0).id()).isEqualTo(first);
    assertThat(all.get(0).message().connectionIds()).containsExactly("gw-1.1", "gw-1.2");
    assertThat(all.get(0).message().text()).isFalse();
    assertThat(all.get(0).message().payload()).containsExactly(binary);
    assertThat(all.get(1).message().text()).isTrue();
    assertThat(new String(all.get(1).message().payload(), "UTF-8")).isEqualTo("héllo");

    List<PublishStreams.Entry> later = streams.read("gw-1", first, Duration.ofMillis(100), 10);
    assertThat(later).extracting(PublishStreams.Entry::id).containsExactly(all.get(1).id());
    assertThat(streams.read("gw-1", all.get(1).id(), Duration.ofMillis(100), 10)).isEmpty();
    assertThat(streams.read("gw-2", PublishStreams.START, Duration.ofMillis(100), 10))
        .singleElement()
        .satisfies(entry -> assertThat(entry.message().payload()).isEmpty());
  }

  @Test
  void aStreamExpiresWhenUnusedSoOneWrittenAfterItsGatewayWasReapedDoesNotStay() throws Exception {
    append("gw-gone", new PublishedMessage(List.of("gw-gone.1"), true, new byte[] {'x'}));
    long ttl = redis.sync().pttl(RedisKeys.gatewayPublished("gw-gone"));
    assertThat(ttl).isPositive().isLessThanOrEqualTo(RedisPublishStreams.IDLE_EXPIRY.toMillis());
  }

  @Test
  void withRedisGoneAppendsAndReadsFailAsTheStoresOwnException() throws Exception {
    server.stop();
    await()
        .untilAsserted(
            () ->
                assertThatThrownBy(
                        () ->
                            append(
                                "gw-1", new PublishedMessage(List.of("gw-1.1"), true, new byte[0])))
                    .hasCauseInstanceOf(StoreUnavailableException.class));
    assertThatThrownBy(() -> streams.read("gw-1", "0-0", Duration.ofMillis(100), 1))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
