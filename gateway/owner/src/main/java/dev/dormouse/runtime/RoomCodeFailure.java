package dev.dormouse.runtime;

/**
 * A room's code cannot run on this owner: its module failed to load ({@link
 * dev.dormouse.room.spi.RoomCodeException}) or no loader serves its handler's scheme. Unlike a handler
 * class that is missing, which stops the owner at start, this leaves the owner up for its other rooms:
 * the room's clients are refused with {@link #refusal} and its activity report carries the message.
 */
public final class RoomCodeFailure extends RuntimeException {

  RoomCodeFailure(String message, Throwable cause) {
    super(message, cause);
  }

  /** What the room's clients read: 503 with this text. */
  public String refusal() {
    return "room code failed to load: " + getMessage();
  }
}
