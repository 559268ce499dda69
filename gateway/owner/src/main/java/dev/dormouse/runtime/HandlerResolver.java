package dev.dormouse.runtime;

import dev.dormouse.room.Room;
import dev.dormouse.room.builtin.ChatRoom;
import dev.dormouse.room.builtin.EchoRoom;
import dev.dormouse.room.builtin.ExampleRoom;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.function.Supplier;

/** Turns a room's {@code spec.handler} into a factory of fresh room objects. */
public final class HandlerResolver {

  private static final Map<String, Supplier<Room>> BUILT_INS =
      Map.of(
          "example", ExampleRoom::new,
          "echo", EchoRoom::new,
          "chat", ChatRoom::new);

  private final ClassLoader classLoader;

  public HandlerResolver(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  /**
   * Resolves eagerly so a missing class is reported when the room is loaded, not at its first event.
   *
   * @throws IllegalArgumentException naming the handler when it cannot be used
   */
  public Supplier<Room> resolve(String handler) {
    Supplier<Room> builtIn = BUILT_INS.get(handler);
    if (builtIn != null) {
      return builtIn;
    }
    Class<?> type;
    try {
      type = Class.forName(handler, false, classLoader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "spec.handler: class " + handler + " is not on the classpath", e);
    }
    if (type.getClassLoader() instanceof RoomClassLoader rooms) {
      rooms.checkReachable(handler);
    }
    if (!Room.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException(
          "spec.handler: " + handler + " does not implement " + Room.class.getName());
    }
    Constructor<? extends Room> constructor;
    try {
      constructor = type.asSubclass(Room.class).getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "spec.handler: " + handler + " needs a public no-argument constructor", e);
    }
    return () -> {
      try {
        return constructor.newInstance();
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("constructor of " + handler + " failed", e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create " + handler, e);
      }
    };
  }
}
