package dev.dormouse.gateway;

/**
 * The messages of one connection that were forwarded to its room and not yet handled there. Past the
 * window the connection stops reading from its client, so a room, a link or an owner that falls
 * behind pushes back over TCP instead of letting one client fill the memory of the gateway, the
 * link and the owner's mailbox; below half of it, reading resumes. Half, so that a connection near
 * the edge does not suspend and resume for every message.
 */
final class InflightWindow {

  /** Enough to keep a fast room busy across a link's round trip; small next to a process's heap. */
  static final int MAX_MESSAGES = 256;

  static final long MAX_BYTES = 1 << 20;

  private final int maxMessages;
  private final long maxBytes;
  private int messages;
  private long bytes;
  private boolean full;

  InflightWindow(int maxMessages, long maxBytes) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /**
   * A message of {@code size} bytes was forwarded.
   *
   * @return true when it filled the window: stop reading now
   */
  synchronized boolean forwarded(int size) {
    messages++;
    bytes += size;
    if (!full && (messages >= maxMessages || bytes >= maxBytes)) {
      full = true;
      return true;
    }
    return false;
  }

  /**
   * A message of {@code size} bytes was handled by the room (or will never be).
   *
   * @return true when this drained a full window to half: read again now
   */
  synchronized boolean handled(int size) {
    messages--;
    bytes -= size;
    if (full && messages <= maxMessages / 2 && bytes <= maxBytes / 2) {
      full = false;
      return true;
    }
    return false;
  }
}
