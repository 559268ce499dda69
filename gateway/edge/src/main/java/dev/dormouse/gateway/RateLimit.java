package dev.dormouse.gateway;

import dev.dormouse.config.RoomSettings;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One connection's allowance of the room's {@code limits.messagesPerSecond} and
 * {@code limits.bytesPerSecond}, each a token bucket with its burst. Used on the connection's I/O thread.
 */
final class RateLimit {

  private final RoomSettings settings;
  private final LongSupplier nanoClock;
  private final TokenBucket messages;
  private final TokenBucket bytes;

  RateLimit(RoomSettings settings, LongSupplier nanoClock) {
    this.settings = settings;
    this.nanoClock = nanoClock;
    long now = nanoClock.getAsLong();
    this.messages = new TokenBucket(settings.messagesPerSecond(), settings.messagesBurst(), now);
    this.bytes = new TokenBucket(settings.bytesPerSecond(), settings.bytesBurst(), now);
  }

  /**
   * Counts one message (or ping) of {@code size} bytes.
   *
   * @return why it is over the limit, for the close frame; empty when it is within
   */
  Optional<String> take(int size) {
    long now = nanoClock.getAsLong();
    if (!messages.tryTake(1, now)) {
      return Optional.of(
          "Rate limit: more than " + settings.messagesPerSecond() + " messages per second");
    }
    if (!bytes.tryTake(size, now)) {
      return Optional.of(
          "Rate limit: more than " + settings.bytesPerSecond() + " bytes per second");
    }
    return Optional.empty();
  }
}
