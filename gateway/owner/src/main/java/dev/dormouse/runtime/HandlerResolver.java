package dev.dormouse.runtime;

import dev.dormouse.room.Room;
import dev.dormouse.room.builtin.ChatRoom;
import dev.dormouse.room.builtin.CounterRoom;
import dev.dormouse.room.builtin.EchoRoom;
import dev.dormouse.room.builtin.ExampleRoom;
import dev.dormouse.room.builtin.TallyRoom;
import dev.dormouse.room.spi.RoomCodeException;
import dev.dormouse.room.spi.RoomCodeLoader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a room's {@code spec.handler} into a factory of fresh room objects: a built-in room's name, a
 * Java class (Dormouse's or a room jar's), or {@code <scheme>:<reference>} for code a {@link
 * RoomCodeLoader} loads from the room library folder ({@code js:chat/room.js#ChatRoom}). Each handler
 * is resolved once, when its room is loaded: resolving a room jar's class scans its class files and
 * loading a module compiles it, neither of which may happen again on the link's I/O thread at the
 * room's first event.
 */
public final class HandlerResolver {

  private static final Logger log = LoggerFactory.getLogger(HandlerResolver.class);

  private static final Map<String, Supplier<Room>> BUILT_INS =
      Map.of(
          "example", ExampleRoom::new,
          "echo", EchoRoom::new,
          "chat", ChatRoom::new,
          "counter", CounterRoom::new,
          "tally", TallyRoom::new);

  /** Built-in rooms named by their class: Dormouse's own, which room jars cannot see. */
  private static final String BUILT_IN_PACKAGE = EchoRoom.class.getPackageName() + ".";

  private final ClassLoader classLoader;
  private final RoomCodeLoaders codeLoaders;
  private final Path libDir;

  /**
   * A handler's factory, or why it cannot be used: the room jars and modules are read once, when
   * their room is loaded.
   */
  private final Map<String, Resolution> resolved = new ConcurrentHashMap<>();

  private record Resolution(Supplier<Room> factory, RuntimeException unusable) {}

  /**
   * @param classLoader where handler classes are looked up: the room jars' loader, or Dormouse's
   * @param codeLoaders the loaders of {@code <scheme>:} handlers
   * @param libDir the room library folder the code loaders read modules from
   */
  public HandlerResolver(ClassLoader classLoader, RoomCodeLoaders codeLoaders, Path libDir) {
    this.classLoader = classLoader;
    this.codeLoaders = codeLoaders;
    this.libDir = libDir;
  }

  /**
   * An owner's handlers: the jars in {@code libDir} and the modules under it, the code loaders and
   * built-in rooms of {@code dormouse}.
   */
  public static HandlerResolver forLibrary(Path libDir, ClassLoader dormouse) {
    return new HandlerResolver(
        RoomLibraries.load(libDir, dormouse), RoomCodeLoaders.on(dormouse), libDir);
  }

  /**
   * Resolves eagerly so a missing class or a module that does not compile is reported when the room
   * is loaded, not at its first event.
   *
   * @throws IllegalArgumentException naming the handler when its class cannot be used
   * @throws RoomCodeFailure when its room's code failed to load
   */
  public Supplier<Room> resolve(String handler) {
    Resolution resolution = resolved.computeIfAbsent(handler, this::resolveOnce);
    RuntimeException unusable = resolution.unusable();
    if (unusable instanceof RoomCodeFailure failure) {
      throw new RoomCodeFailure(failure.getMessage(), failure.getCause());
    }
    if (unusable != null) {
      throw new IllegalArgumentException(unusable.getMessage(), unusable);
    }
    return resolution.factory();
  }

  /**
   * Resolves a room's handler as it is loaded. A handler class that cannot be used is a mistake in
   * what was deployed and stops the start; code that failed to load is logged and its room refused
   * meanwhile, so one bad module (which a ConfigMap changes without a deploy) leaves the others up.
   *
   * @throws IllegalArgumentException naming the handler when its class cannot be used
   */
  public void check(String handler) {
    try {
      resolve(handler);
    } catch (RoomCodeFailure e) {
      log.error("spec.handler {}: {}; its room is refused until fixed", handler, e.refusal());
    }
  }

  private Resolution resolveOnce(String handler) {
    Supplier<Room> builtIn = BUILT_INS.get(handler);
    if (builtIn != null) {
      return new Resolution(builtIn, null);
    }
    try {
      int colon = handler.indexOf(':');
      return new Resolution(
          colon > 0
              ? loaded(handler.substring(0, colon), handler.substring(colon + 1))
              : factoryOf(handler),
          null);
    } catch (IllegalArgumentException | RoomCodeFailure e) {
      return new Resolution(null, e);
    }
  }

  /** Code in another language: a Java class name never holds a colon. */
  private Supplier<Room> loaded(String scheme, String reference) {
    RoomCodeLoader loader;
    try {
      loader = codeLoaders.of(scheme);
    } catch (IllegalArgumentException e) {
      throw new RoomCodeFailure(e.getMessage(), e);
    }
    try {
      return loader.load(reference, libDir);
    } catch (RoomCodeException e) {
      throw new RoomCodeFailure(e.getMessage(), e);
    } catch (RuntimeException e) {
      // A loader's own bug; its room is refused like one whose code is broken.
      throw new RoomCodeFailure(scheme + ":" + reference + ": " + e, e);
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
