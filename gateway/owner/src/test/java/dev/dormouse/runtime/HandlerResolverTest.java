package dev.dormouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.room.Room;
import dev.dormouse.room.builtin.EchoRoom;
import dev.dormouse.room.spi.RoomCodeException;
import dev.dormouse.room.spi.RoomCodeLoader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Handlers of the form {@code <scheme>:<reference>}, through the code loaders on Dormouse's class path. */
class HandlerResolverTest {

  static final Path LIB = Path.of("/opt/dormouse/lib");

  /** Loads every reference as an echo room, or fails with {@link #error} when one is set. */
  public static final class RecordingLoader implements RoomCodeLoader {
    final List<String> loaded = new ArrayList<>();
    final List<Path> libDirs = new ArrayList<>();
    final Supplier<Room> factory = EchoRoom::new;
    String error;

    @Override
    public String scheme() {
      return "js";
    }

    @Override
    public Supplier<Room> load(String reference, Path libDir) throws RoomCodeException {
      loaded.add(reference);
      libDirs.add(libDir);
      if (error != null) {
        throw new RoomCodeException(error);
      }
      return factory;
    }
  }

  final RecordingLoader js = new RecordingLoader();

  HandlerResolver resolver(RoomCodeLoader... loaders) {
    return new HandlerResolver(
        getClass().getClassLoader(), new RoomCodeLoaders(List.of(loaders)), LIB);
  }

  @Test
  void aSchemesHandlerIsLoadedOnceByItsLoaderFromTheRoomLibraryFolder() {
    HandlerResolver handlers = resolver(js);

    handlers.check("js:chat/room.mjs#ChatRoom");
    Supplier<Room> factory = handlers.resolve("js:chat/room.mjs#ChatRoom");

    assertThat(factory).isSameAs(js.factory);
    assertThat(js.loaded).containsExactly("chat/room.mjs#ChatRoom");
    assertThat(js.libDirs).containsExactly(LIB);
  }

  @Test
  void codeThatFailsToLoadLeavesTheStartGoingAndRefusesWithItsErrorWithoutLoadingAgain() {
    js.error = "chat/room.mjs:12:5: SyntaxError: Unexpected token";
    HandlerResolver handlers = resolver(js);

    handlers.check("js:chat/room.mjs#ChatRoom"); // logged, not thrown: the owner starts

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> handlers.resolve("js:chat/room.mjs#ChatRoom"))
          .isInstanceOfSatisfying(
              RoomCodeFailure.class,
              e ->
                  assertThat(e.refusal())
                      .isEqualTo(
                          "room code failed to load: chat/room.mjs:12:5: SyntaxError: Unexpected"
                              + " token"));
    }
    assertThat(js.loaded).hasSize(1);
  }

  @Test
  void javaScriptWithoutTheJavaScriptJarSaysWhatToInstall() {
    HandlerResolver handlers = resolver();

    handlers.check("js:chat/room.mjs#ChatRoom");

    assertThatThrownBy(() -> handlers.resolve("js:chat/room.mjs#ChatRoom"))
        .isInstanceOf(RoomCodeFailure.class)
        .hasMessageContaining("no room code loader for scheme 'js' on this owner (it has none)")
        .hasMessageContaining("dormouse-js.jar and its js-lib/ folder beside dormouse.jar");
  }

  @Test
  void anUnknownSchemeNamesTheSchemesThisOwnerHas() {
    assertThatThrownBy(() -> resolver(js).resolve("py:room.py#Room"))
        .isInstanceOf(RoomCodeFailure.class)
        .hasMessageStartingWith("no room code loader for scheme 'py' on this owner (it has js)");
  }

  @Test
  void twoLoadersForOneSchemeStopTheStartNamingBoth() {
    assertThatThrownBy(() -> resolver(js, new RecordingLoader()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("two room code loaders for scheme js");
  }

  @Test
  void aMissingHandlerClassStillStopsTheStart() {
    assertThatThrownBy(() -> resolver(js).check("com.example.NoSuchRoom"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("spec.handler: class com.example.NoSuchRoom is not on the classpath");
  }

  @Test
  void theLoadersAreFoundOnTheClassPathAndOneThatCannotBeMadeIsLeftOut(@TempDir Path dir)
      throws Exception {
    Path services =
        Files.createDirectories(dir.resolve("META-INF/services"))
            .resolve(RoomCodeLoader.class.getName());
    Files.writeString(services, "acme.MissingLoader\n" + RecordingLoader.class.getName() + "\n");
    try (URLClassLoader classPath =
        new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      RoomCodeLoader found = RoomCodeLoaders.on(classPath).of("js");

      assertThat(found).isInstanceOf(RecordingLoader.class);
    }
  }
}
