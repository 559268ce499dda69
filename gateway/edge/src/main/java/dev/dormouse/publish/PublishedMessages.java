package dev.dormouse.publish;

import dev.dormouse.admin.Metrics;
import dev.dormouse.gateway.ClientConnections;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.store.PublishStreams;
import dev.dormouse.store.PublishedMessage;
import dev.dormouse.store.StoreException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this gateway's stream of published messages, in order, on a thread of its own, and writes
 * each to those of its connections still open (the others are dropped and counted). It asks from the
 * last entry it handled, so a read that failed (Redis cut, reconnecting) is asked again and misses
 * nothing; it starts from the stream's end as it is when the gateway starts, before any client of
 * this gateway can have been published to.
 */
public final class PublishedMessages implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PublishedMessages.class);

  /** How long one read waits for an entry: well within the Redis client's 5 s command timeout. */
  static final Duration BLOCK = Duration.ofSeconds(1);

  /** Entries per read: a batch bounds the memory of one answer (each may hold a 1 MiB message). */
  static final int BATCH = 64;

  /** Between failed reads, so a Redis that is down is not asked in a busy loop. */
  static final Duration RETRY = Duration.ofMillis(100);

  private final PublishStreams streams;
  private final String gatewayId;
  private final ClientConnections connections;
  private final PublishMetrics metrics;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();
  private Thread reader;

  public PublishedMessages(
      PublishStreams streams, String gatewayId, ClientConnections connections, Metrics metrics) {
    this.streams = streams;
    this.gatewayId = gatewayId;
    this.connections = connections;
    this.metrics = new PublishMetrics(metrics);
  }

  /**
   * Starts reading after the stream's newest entry, read here, synchronously: entries before it are
   * for connections of an earlier process with this gateway id. Throws the store's exception when
   * Redis cannot answer, as the gateway cannot start then.
   */
  public PublishedMessages start() {
    String from = streams.lastId(gatewayId);
    reader = new Thread(() -> readFrom(from), "published-messages");
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  private void readFrom(String from) {
    String after = from;
    while (!closed.get()) {
      try {
        for (PublishStreams.Entry entry : streams.read(gatewayId, after, BLOCK, BATCH)) {
          deliver(entry.message());
          after = entry.id();
        }
        if (failing.compareAndSet(true, false)) {
          log.info("reading published messages works again, from {}", after);
        }
      } catch (RuntimeException e) {
        if (closed.get()) {
          return;
        }
        if (!(e instanceof StoreException)) {
          // A bug, not Redis: logged in full each time. Ending the thread would silently stop this
          // gateway delivering what is published to it, so it carries on as after a failed read.
          log.error("reading published messages failed unexpectedly, retrying from {}", after, e);
        } else if (failing.compareAndSet(false, true)) {
          log.warn("reading published messages failed, retrying from {}: {}", after, e.toString());
        }
        try {
          Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void deliver(PublishedMessage message) {
    OutboundMessage outbound =
        new OutboundMessage(message.text(), ByteBuffer.wrap(message.payload()));
    int sent = connections.send(message.connectionIds(), outbound);
    metrics.delivered(sent, message.connectionIds().size() - sent);
  }

  @Override
  public void close() {
    closed.set(true);
    if (reader != null) {
      reader.interrupt();
    }
  }
}
