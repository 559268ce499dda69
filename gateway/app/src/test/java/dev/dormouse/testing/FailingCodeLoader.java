package dev.dormouse.testing;

import dev.dormouse.room.Room;
import dev.dormouse.room.spi.RoomCodeException;
import dev.dormouse.room.spi.RoomCodeLoader;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * JavaScript that never loads: {@code js:<file>#<Export>} fails as a module with a syntax error in
 * {@code <file>} would. Found by the owner as the real loader is, through {@link
 * java.util.ServiceLoader} ({@link SoleCodeLoaderClassPath} names it in place of the real one), it
 * shows what a room with broken code does without starting the JavaScript engine.
 */
public final class FailingCodeLoader implements RoomCodeLoader {

  /** What loading {@code js:<file>#<Export>} says is wrong. */
  public static String error(String file) {
    return file + ":3:7: SyntaxError: Unexpected token '}'";
  }

  @Override
  public String scheme() {
    return "js";
  }

  @Override
  public Supplier<Room> load(String reference, Path libDir) throws RoomCodeException {
    throw new RoomCodeException(error(reference.substring(0, reference.indexOf('#'))));
  }
}
