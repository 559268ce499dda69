package dev.dormouse.runtime;

import dev.dormouse.room.Room;

/**
 * What room jars see of the process: the room API ({@code dev.dormouse.room}, the very classes Dormouse
 * uses, so a room is a {@link Room}) and the Java platform. Nothing else of Dormouse or its libraries
 * (Lettuce, Netty, Jackson, Undertow…), so a room can neither depend on them by accident nor break with
 * their upgrades. This keeps code apart; it is no sandbox against a room bent on reflection.
 */
final class RoomApiOnlyClassLoader extends ClassLoader {

  static final String ROOM_API_PACKAGE = Room.class.getPackageName();

  static {
    registerAsParallelCapable();
  }

  private final ClassLoader dormouse;

  RoomApiOnlyClassLoader(ClassLoader dormouse) {
    super("room-api", ClassLoader.getPlatformClassLoader());
    this.dormouse = dormouse;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    int lastDot = name.lastIndexOf('.');
    if (lastDot > 0 && name.substring(0, lastDot).equals(ROOM_API_PACKAGE)) {
      return dormouse.loadClass(name);
    }
    return super.loadClass(name, resolve);
  }
}
