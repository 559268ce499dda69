package dev.dormouse.link.wire;

/** A frame that does not follow the link's format: the peer is broken or not a Dormouse peer at all. */
final class FrameFormatException extends RuntimeException {

  FrameFormatException(String message) {
    super(message);
  }
}
