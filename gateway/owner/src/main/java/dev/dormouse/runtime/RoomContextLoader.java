package dev.dormouse.runtime;

/**
 * Runs room code with the room's own class loader as the thread's context class loader: libraries
 * bundled in a room jar look there (ServiceLoader, Jackson's findAndRegisterModules), and room code
 * must not reach Dormouse's classes through it. Set around each call, not once per thread: the room
 * threads are shared by rooms of every loader, run the runtime's own code between calls, and are
 * started at any time as stand-ins.
 */
final class RoomContextLoader {

  /** Room code, which may throw what the room throws. */
  interface RoomCode<T, E extends Throwable> {
    T run() throws E;
  }

  private RoomContextLoader() {}

  /** Runs {@code code} of the room class {@code room}, then puts the thread's loader back. */
  static <T, E extends Throwable> T run(Class<?> room, RoomCode<T, E> code) throws E {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(room.getClassLoader());
    try {
      return code.run();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
