package dev.dormouse.js;

import dev.dormouse.room.Room;
import dev.dormouse.room.spi.RoomCodeException;
import dev.dormouse.room.spi.RoomCodeLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;

/**
 * {@code js:<file>#<ExportName>}: an ES module of the room library folder whose export is a Durable
 * Object class. The module is read, compiled and evaluated once here, in a context thrown away
 * after, so that a file that is missing, does not compile, throws at its top level or lacks the
 * class fails the room's load with the file and line; each activation then evaluates it afresh in
 * a context of its own ({@link JsRoom}).
 */
public final class JsRoomCodeLoader implements RoomCodeLoader {

  /** How long the module's top level may run at load before it counts as running away. */
  static final Duration LOAD_TIMEOUT = Duration.ofSeconds(10);

  private static final ScheduledExecutorService LOAD_WATCH =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "dormouse-js-load-watch");
            thread.setDaemon(true);
            return thread;
          });

  private final Duration loadTimeout;

  public JsRoomCodeLoader() {
    this(LOAD_TIMEOUT);
  }

  JsRoomCodeLoader(Duration loadTimeout) {
    this.loadTimeout = loadTimeout;
  }

  @Override
  public String scheme() {
    return "js";
  }

  @Override
  public Supplier<Room> load(String reference, Path libDir) throws RoomCodeException {
    ModuleReference parsed = ModuleReference.parse(reference);
    ModuleFiles files = ModuleFiles.in(libDir);
    try {
      JsModule module = new JsModule(parsed, source(parsed, files), files);
      check(module);
      return () -> new JsRoom(module);
    } catch (LinkageError e) {
      // dormouse-js.jar without its js-lib/ beside it: a room's error, not the owner's end.
      throw new RoomCodeException(
          "the JavaScript engine cannot start (are GraalJS's jars in js-lib/ beside"
              + " dormouse-js.jar?): "
              + e,
          e);
    }
  }

  private static Source source(ModuleReference reference, ModuleFiles files)
      throws RoomCodeException {
    Path real;
    try {
      real = files.resolve(Path.of(reference.file()));
      utf8(files.bytes(real));
    } catch (NoSuchFileException e) {
      throw new RoomCodeException(
          reference.file() + ": no such file in the room library folder " + files.root());
    } catch (AccessDeniedException e) {
      throw new RoomCodeException(
          reference.file() + ": resolves outside the room library folder " + files.root());
    } catch (CharacterCodingException e) {
      throw new RoomCodeException(reference.file() + ": not UTF-8 text");
    } catch (IOException e) {
      throw new RoomCodeException(reference.file() + ": cannot be read: " + e, e);
    }
    // The engine reads the module itself (through the context's files), so that it has its path:
    // its relative imports resolve against it and its errors name it. A module of one line imports
    // it and hands its namespace over, as an evaluated module returns nothing.
    String entry =
        "import * as ns from \""
            + real.toUri().toString().replace("\\", "%5C").replace("\"", "%22")
            + "\"; globalThis."
            + JsActivation.EXPORTS
            + " = ns;";
    return Source.newBuilder(JsEngine.LANGUAGE, entry, "dormouse:entry/" + reference.file())
        .mimeType("application/javascript+module")
        .buildLiteral();
  }

  private static void utf8(byte[] bytes) throws CharacterCodingException {
    StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes));
  }

  private void check(JsModule module) throws RoomCodeException {
    String file = module.reference().file();
    try (JsActivation activation =
        JsActivation.open(module, new NoRoomContext(module.reference()), new ActivationSockets())) {
      ScheduledFuture<?> watch =
          LOAD_WATCH.schedule(activation::close, loadTimeout.toMillis(), TimeUnit.MILLISECONDS);
      try {
        activation.evaluate(module);
      } catch (PolyglotException e) {
        if (e.isCancelled()) {
          throw new RoomCodeException(
              file + ": its top level ran past " + loadTimeout.toMillis() + " ms at load");
        }
        throw new RoomCodeException(CodeErrors.describe(e, module.files()), e);
      } finally {
        watch.cancel(false);
      }
      if (activation.exported() == null) {
        throw new RoomCodeException(
            file + ": exports no " + module.exportName() + " (js:" + module.reference() + ")");
      }
      if (!activation.exportIsClass()) {
        throw new RoomCodeException(
            file
                + ": its export "
                + module.exportName()
                + " is not a class (js:"
                + module.reference()
                + ")");
      }
    }
  }
}
