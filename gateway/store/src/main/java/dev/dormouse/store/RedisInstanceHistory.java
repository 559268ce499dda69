package dev.dormouse.store;

import static dev.dormouse.store.RedisCalls.call;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InstanceHistory} in Redis: per instance a capped stream of transitions ({@link
 * RedisKeys#history}) and a wake counter ({@link RedisKeys#wakes}), both under the instance's hash
 * tag (one Cluster slot, one script) and both expiring once the instance is left alone.
 */
public final class RedisInstanceHistory implements InstanceHistory {

  private static final Logger log = LoggerFactory.getLogger(RedisInstanceHistory.class);

  /**
   * Transitions kept per instance. Trimmed exactly rather than with {@code ~}, which trims only whole
   * stream nodes (100 entries) and would keep up to three times as many: one entry goes per append
   * either way.
   */
  static final int MAX_ENTRIES = 50;

  /** An instance that neither woke nor slept for this long is forgotten. */
  static final Duration EXPIRY = Duration.ofDays(7);

  /**
   * Appends sent and not yet answered, at most: past it (a stalled or unreachable Redis) new ones are
   * dropped rather than queued without end in the client.
   */
  static final int MAX_IN_FLIGHT = 1_000;

  /**
   * Only a wake starts a history: the operator removes a deleted room's keys while its instances
   * may still be in memory, and their eviction must not bring the history back for a week.
   */
  private static final String APPEND =
      """
      if ARGV[3] ~= 'WOKE' and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'at', ARGV[2], 'kind', ARGV[3], 'owner', ARGV[4], 'reason', ARGV[5], 'revival', ARGV[6])
      if ARGV[3] == 'WOKE' then redis.call('INCR', KEYS[2]) end
      redis.call('PEXPIRE', KEYS[1], ARGV[7])
      redis.call('PEXPIRE', KEYS[2], ARGV[7])
      return 1""";

  /** The revival field of a transition without one. */
  private static final String NONE = "";

  private final RedisConnector redis;
  private final AtomicInteger inFlight = new AtomicInteger();

  /** Appends are being dropped: said once per spell, not once per append. */
  private final AtomicBoolean dropping = new AtomicBoolean();

  public RedisInstanceHistory(RedisConnector redis) {
    this.redis = redis;
  }

  @Override
  public void append(RoomKey key, InstanceTransition transition) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      if (dropping.compareAndSet(false, true)) {
        log.warn(
            "instance history: {} writes unanswered, dropping new ones until Redis answers",
            MAX_IN_FLIGHT);
      }
      return;
    }
    try {
      redis
          .async()
          .eval(
              APPEND,
              ScriptOutputType.INTEGER,
              new String[] {RedisKeys.history(key), RedisKeys.wakes(key)},
              Integer.toString(MAX_ENTRIES),
              Long.toString(transition.at().toEpochMilli()),
              transition.kind().name(),
              transition.owner(),
              transition.reason(),
              transition.revival().map(d -> Long.toString(d.toNanos())).orElse(NONE),
              Long.toString(EXPIRY.toMillis()))
          .whenComplete(
              (ignored, error) -> {
                inFlight.decrementAndGet();
                if (error == null) {
                  dropping.set(false);
                } else {
                  log.warn(
                      "instance history of {}: {} not recorded: {}",
                      key,
                      transition.kind(),
                      error.toString());
                }
              });
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      log.warn("instance history of {}: {} not recorded: {}", key, transition.kind(), e.toString());
    }
  }

  @Override
  public HistoryView read(RoomKey key, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, was " + limit);
    }
    String what = "reading the history of " + key;
    List<StreamMessage<String, String>> newestFirst =
        call(
            what,
            () ->
                redis
                    .sync()
                    .xrevrange(RedisKeys.history(key), Range.unbounded(), Limit.from(limit)));
    String wakes = call(what, () -> redis.sync().get(RedisKeys.wakes(key)));
    List<InstanceTransition> recent = new ArrayList<>(newestFirst.size());
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      decode(newestFirst.get(i).getBody()).ifPresent(recent::add);
    }
    return new HistoryView(wakes == null ? 0 : Long.parseLong(wakes), recent);
  }

  /**
   * An entry this version cannot read (a kind a newer owner added, in a rolling upgrade) is left
   * out rather than failing the whole history.
   */
  private static Optional<InstanceTransition> decode(Map<String, String> body) {
    try {
      String revival = body.getOrDefault("revival", NONE);
      return Optional.of(
          new InstanceTransition(
              Instant.ofEpochMilli(Long.parseLong(body.get("at"))),
              InstanceTransition.Kind.valueOf(body.get("kind")),
              body.get("owner"),
              body.get("reason"),
              revival.isEmpty()
                  ? Optional.empty()
                  : Optional.of(Duration.ofNanos(Long.parseLong(revival)))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
