package dev.dormouse.room.spi;

import dev.dormouse.room.Room;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Room code in a language other than Java, named by {@code spec.handler} as {@code
 * <scheme>:<reference>} (for JavaScript {@code js:<file>#<ExportName>}). The owner finds the
 * loaders on its class path with {@link java.util.ServiceLoader}, so a language's engine ships as a
 * jar of its own beside {@code dormouse.jar} and costs nothing to an owner that does not carry it.
 */
public interface RoomCodeLoader {

  /** The handler prefix this loader serves, without the colon: {@code js}. */
  String scheme();

  /**
   * Loads the code once, when its room is loaded, so a file that is missing or does not compile is
   * reported then, not at the room's first event.
   *
   * @param reference what follows {@code <scheme>:} in {@code spec.handler}
   * @param libDir the owner's room library folder, which relative file names are resolved against
   * @return a factory of fresh room objects, one per activation of an instance
   * @throws RoomCodeException when the code cannot be used; its message names the file and line
   */
  Supplier<Room> load(String reference, Path libDir) throws RoomCodeException;
}
