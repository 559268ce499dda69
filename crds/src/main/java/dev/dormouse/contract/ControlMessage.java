package dev.dormouse.contract;

/**
 * A message on {@link RedisKeys#CONTROL_CHANNEL}, encoded as {@code type namespace/room}. The only
 * type so far: {@code room-deleted}, upon which every gateway closes the room's clients with 1001.
 */
public record ControlMessage(String type, String roomPath) {

  public static final String ROOM_DELETED = "room-deleted";

  public static ControlMessage roomDeleted(String namespace, String room) {
    return new ControlMessage(ROOM_DELETED, namespace + "/" + room);
  }

  public String encode() {
    return type + " " + roomPath;
  }

  public static ControlMessage decode(String text) {
    int space = text.indexOf(' ');
    if (space <= 0) {
      throw new IllegalArgumentException("not a control message: " + text);
    }
    return new ControlMessage(text.substring(0, space), text.substring(space + 1));
  }
}
