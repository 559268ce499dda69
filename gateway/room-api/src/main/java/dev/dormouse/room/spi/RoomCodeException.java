package dev.dormouse.room.spi;

/**
 * Room code that cannot be used: a file that is missing, does not compile, or lacks the named export.
 * The message is what the room's status shows and what its clients' refusals say, so it names the
 * file and, where there is one, the line.
 */
public final class RoomCodeException extends Exception {

  public RoomCodeException(String message) {
    super(message);
  }

  public RoomCodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
