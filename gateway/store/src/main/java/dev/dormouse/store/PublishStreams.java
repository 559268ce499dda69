package dev.dormouse.store;

import dev.dormouse.contract.RedisKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One stream per gateway ({@link RedisKeys#gatewayPublished}) of the published messages it is to
 * deliver to its connections: any gateway appends, the gateway itself reads, in the order Redis
 * appended them. Failures are {@link StoreUnavailableException}s. A gone gateway's stream is
 * removed with its other records ({@link GatewayRecords#forget}, {@link GatewayRecords#dropPublished}).
 */
public interface PublishStreams extends AutoCloseable {

  /** An entry of a stream: its id (what the reader asks from next) and the message. */
  record Entry(String id, PublishedMessage message) {}

  /** The id from which a read sees nothing, for an empty or missing stream too. */
  String START = "0-0";

  /** Appends to {@code gatewayId}'s stream; completes once Redis has it. */
  CompletionStage<Void> append(String gatewayId, PublishedMessage message);

  /** The id of the stream's newest entry now ({@link #START} when it has none): where a reader starts. */
  String lastId(String gatewayId);

  /**
   * The entries after {@code afterId}, at most {@code count}, waiting up to {@code block} for one
   * to come; empty if none did. One caller at a time: it holds a connection of its own meanwhile.
   */
  List<Entry> read(String gatewayId, String afterId, Duration block, int count);

  @Override
  void close();
}
