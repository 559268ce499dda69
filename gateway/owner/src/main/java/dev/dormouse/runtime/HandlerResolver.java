package dev.dormouse.runtime;

import dev.dormouse.room.Room;
import dev.dormouse.room.builtin.ChatRoom;
import dev.dormouse.room.builtin.EchoRoom;
import dev.dormouse.room.builtin.ExampleRoom;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Turns a room's {@code spec.handler} into a factory of fresh room objects. Each handler is resolved
 * once, when its room is loaded: resolving a room jar's class scans its class files, which must not
 * happen again on the link's I/O thread at the room's first event.
 */
public final class HandlerResolver {

  private static final Map<String, Supplier<Room>> BUILT_INS =
      Map.of(
          "example", ExampleRoom::new,
          "echo", EchoRoom::new,
          "chat", ChatRoom::new);

  /** Built-in rooms named by their class: Dormouse's own, which room jars cannot see. */
  private static final String BUILT_IN_PACKAGE = EchoRoom.class.getPackageName() + ".";

  private final ClassLoader classLoader;

  /** A handler's factory, or why it cannot be used: the room jars do not change while running. */
  private final Map<String, Resolution> resolved = new ConcurrentHashMap<>();

  private record Resolution(Supplier<Room> factory, IllegalArgumentException unusable) {}

  public HandlerResolver(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  /**
   * Resolves eagerly so a missing class is reported when the room is loaded, not at its first event.
   *
   * @throws IllegalArgumentException naming the handler when it cannot be used
   */
  public Supplier<Room> resolve(String handler) {
    Resolution resolution = resolved.computeIfAbsent(handler, this::resolveOnce);
    if (resolution.unusable() != null) {
      throw new IllegalArgumentException(resolution.unusable().getMessage(), resolution.unusable());
    }
    return resolution.factory();
  }

  private Resolution resolveOnce(String handler) {
    Supplier<Room> builtIn = BUILT_INS.get(handler);
    if (builtIn != null) {
      return new Resolution(builtIn, null);
    }
    try {
      return new Resolution(factoryOf(handler), null);
    } catch (IllegalArgumentException e) {
      return new Resolution(null, e);
    }
  }

  private Supplier<Room> factoryOf(String handler) {
    Class<?> type;
    try {
      type =
          Class.forName(
              handler,
              false,
              handler.startsWith(BUILT_IN_PACKAGE)
                  ? HandlerResolver.class.getClassLoader()
                  : classLoader);
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
        return RoomContextLoader.run(type, constructor::newInstance);
      } catch (InvocationTargetException e) {
        throw new IllegalStateException("constructor of " + handler + " failed", e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot create " + handler, e);
      }
    };
  }
}
