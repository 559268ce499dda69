package dev.dormouse.store;

import static dev.dormouse.store.RedisCalls.call;
import static dev.dormouse.store.RedisCalls.guarded;

import dev.dormouse.contract.RedisKeys;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link PublishStreams} on two connections of their own, bytes in and out: one for appends, one
 * held by the reader's blocking {@code XREAD}, so neither waits behind the other or behind the
 * process's shared connection.
 */
public final class RedisPublishStreams implements PublishStreams {

  /**
   * Entries kept per stream (approximately: {@code MAXLEN ~}). A reader is milliseconds behind; one
   * cut off from Redis for longer than its self-fence has closed every client these were for, so
   * only a gateway publishing to at more than this per self-fence (7.5 s) could lose some.
   */
  static final int MAX_ENTRIES = 10_000;

  /**
   * A stream nobody appended to for this long goes: the safety net for one written after the reaper
   * dropped it (a publish racing a gateway's death), which no one would read.
   */
  static final Duration IDLE_EXPIRY = Duration.ofMinutes(10);

  /** As long as the connector's synchronous calls wait for an answer. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

  private static final String APPEND =
      """
      redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'k', ARGV[2], 'c', ARGV[3], 'p', ARGV[4])
      return redis.call('PEXPIRE', KEYS[1], ARGV[5])""";

  private static final byte[] KIND = bytes("k");
  private static final byte[] CONNECTIONS = bytes("c");
  private static final byte[] PAYLOAD = bytes("p");
  private static final byte[] TEXT = bytes("t");
  private static final byte[] BINARY = bytes("b");

  /** Connection ids are a gateway id, a dot and a number: never a line break. */
  private static final String SEPARATOR = "\n";

  private final RedisConnector.BinaryConnection writer;
  private final RedisConnector.BinaryConnection reader;

  public RedisPublishStreams(RedisConnector redis) {
    writer = redis.connectBinary();
    reader = redis.connectBinary();
  }

  @Override
  public CompletionStage<Void> append(String gatewayId, PublishedMessage message) {
    byte[] key = key(gatewayId);
    String what = "handing a published message to " + gatewayId;
    return within(
        what,
        guarded(
            what,
            writer
                .async()
                .<Long>eval(
                    APPEND,
                    ScriptOutputType.INTEGER,
                    new byte[][] {key},
                    bytes(Integer.toString(MAX_ENTRIES)),
                    message.text() ? TEXT : BINARY,
                    bytes(String.join(SEPARATOR, message.connectionIds())),
                    message.payload(),
                    bytes(Long.toString(IDLE_EXPIRY.toMillis())))));
  }

  /**
   * Lettuce never gives up on an asynchronous command by itself: over a stalled connection a
   * caller would wait for as long as the stall, so it is told after {@link #ANSWER_TIMEOUT}. The
   * append may still be applied once the connection moves again.
   */
  private static CompletionStage<Void> within(String what, CompletionStage<Long> command) {
    return command
        .toCompletableFuture()
        .orTimeout(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .handle(
            (expirySet, error) -> {
              if (error == null) {
                return null;
              }
              Throwable cause =
                  error instanceof CompletionException && error.getCause() != null
                      ? error.getCause()
                      : error;
              if (cause instanceof TimeoutException) {
                throw new StoreUnavailableException(
                    what + ": no answer within " + ANSWER_TIMEOUT.toMillis() + " ms", cause);
              }
              throw cause instanceof RuntimeException runtime
                  ? runtime
                  : new CompletionException(cause);
            });
  }

  @Override
  public String lastId(String gatewayId) {
    List<StreamMessage<byte[], byte[]>> newest =
        call(
            "reading the newest published message of " + gatewayId,
            () -> reader.sync().xrevrange(key(gatewayId), Range.unbounded(), Limit.from(1)));
    return newest.isEmpty() ? START : newest.get(0).getId();
  }

  @Override
  public List<Entry> read(String gatewayId, String afterId, Duration block, int count) {
    List<StreamMessage<byte[], byte[]>> messages =
        call(
            "reading the published messages of " + gatewayId,
            () ->
                reader
                    .sync()
                    .xread(
                        XReadArgs.Builder.block(block).count(count),
                        XReadArgs.StreamOffset.from(key(gatewayId), afterId)));
    List<Entry> entries = new ArrayList<>(messages.size());
    for (StreamMessage<byte[], byte[]> message : messages) {
      entries.add(new Entry(message.getId(), decode(message.getBody())));
    }
    return entries;
  }

  private static PublishedMessage decode(Map<byte[], byte[]> body) {
    // Byte-array keys compare by identity: look each field up by its content.
    byte[] kind = field(body, KIND);
    String ids = new String(field(body, CONNECTIONS), StandardCharsets.UTF_8);
    return new PublishedMessage(
        ids.isEmpty() ? List.of() : List.of(ids.split(SEPARATOR)),
        Arrays.equals(kind, TEXT),
        field(body, PAYLOAD));
  }

  private static byte[] field(Map<byte[], byte[]> body, byte[] name) {
    for (Map.Entry<byte[], byte[]> field : body.entrySet()) {
      if (Arrays.equals(field.getKey(), name)) {
        return field.getValue();
      }
    }
    return new byte[0];
  }

  private static byte[] key(String gatewayId) {
    return bytes(RedisKeys.gatewayPublished(gatewayId));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    writer.close();
    reader.close();
  }
}
