package dev.dormouse.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.room.Message;
import dev.dormouse.room.Room;
import dev.dormouse.room.RoomSocket;
import dev.dormouse.room.builtin.EchoRoom;
import dev.dormouse.store.LeaseStore;
import dev.dormouse.testing.CustomRoomJar;
import io.lettuce.core.RedisClient;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Room jars see the room API and the JDK, nothing else of the process they run in. */
class RoomLibrariesTest {

  /** A room of the room API and the JDK only, answering each message with its count. */
  static final String COUNT_ROOM =
      """
      package acme;
      import dev.dormouse.room.*;
      import java.util.concurrent.atomic.AtomicInteger;
      public class CountRoom implements Room {
        private final AtomicInteger count = new AtomicInteger();
        public void onMessage(RoomSocket socket, Message message) {
          socket.send(message.text() + " #" + count.incrementAndGet());
        }
      }
      """;

  @TempDir Path lib;

  @Test
  void aRoomOfTheRoomApiAndTheJdkRuns() throws Exception {
    CustomRoomJar.write(lib.resolve("count.jar"), "acme.CountRoom", COUNT_ROOM);

    Room room = resolver().resolve("acme.CountRoom").get();
    List<String> sent = new ArrayList<>();
    room.onMessage(socketSendingTo(sent), Message.text("hi"));
    room.onMessage(socketSendingTo(sent), Message.text("hi"));

    assertThat(sent).containsExactly("hi #1", "hi #2");
    assertThat(room.getClass().getClassLoader()).isNotSameAs(getClass().getClassLoader());
  }

  @Test
  void aRoomUsingRedisClientIsRefusedNamingItsClassAndRedisClient() throws Exception {
    CustomRoomJar.write(
        lib.resolve("sneaky.jar"),
        "acme.SneakyRoom",
        """
        package acme;
        import dev.dormouse.room.*;
        public class SneakyRoom implements Room {
          public void onMessage(RoomSocket socket, Message message) {
            io.lettuce.core.RedisClient.create("redis://localhost").shutdown();
          }
        }
        """,
        RedisClient.class);

    assertThatThrownBy(() -> resolver().resolve("acme.SneakyRoom"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("acme.SneakyRoom")
        .hasMessageContaining("io.lettuce.core.RedisClient")
        .hasMessageContaining("which room code cannot see");
  }

  @Test
  void aRoomWhoseLibraryHasAnOptionalDependencyNotBundledLoadsAndRuns(@TempDir Path elsewhere)
      throws Exception {
    // The library was built against Conscrypt, as OkHttp is; the room jar leaves it out.
    Path conscrypt = elsewhere.resolve("conscrypt.jar");
    CustomRoomJar.write(
        conscrypt,
        "org.conscrypt.Conscrypt",
        """
        package org.conscrypt;
        public final class Conscrypt {
          public static boolean isAvailable() {
            return true;
          }
        }
        """);
    CustomRoomJar.write(
        lib.resolve("tls.jar"),
        "acme.TlsRoom",
        """
        package acme;
        import dev.dormouse.room.*;
        public class TlsRoom implements Room {
          public void onMessage(RoomSocket socket, Message message) {
            socket.send(Tls.provider());
          }
        }
        class Tls {
          static String provider() {
            try {
              return org.conscrypt.Conscrypt.isAvailable() ? "conscrypt" : "jdk";
            } catch (NoClassDefFoundError e) {
              return "jdk";
            }
          }
        }
        """,
        classIn(conscrypt, "org.conscrypt.Conscrypt"));

    Room room = resolver().resolve("acme.TlsRoom").get();
    List<String> sent = new ArrayList<>();
    room.onMessage(socketSendingTo(sent), Message.text("which?"));

    assertThat(sent).containsExactly("jdk");
  }

  @Test
  void aHelperInTheJarUsingDormouseInternalsIsFoundToo() throws Exception {
    CustomRoomJar.write(
        lib.resolve("helper.jar"),
        "acme.HelpedRoom",
        """
        package acme;
        import dev.dormouse.room.*;
        public class HelpedRoom implements Room {
          public void onMessage(RoomSocket socket, Message message) {
            socket.send(Helper.help());
          }
        }
        class Helper {
          static String help() {
            return dev.dormouse.store.LeaseStore.class.getSimpleName();
          }
        }
        """,
        LeaseStore.class);

    assertThatThrownBy(() -> resolver().resolve("acme.HelpedRoom"))
        .hasMessageContaining(
            "acme.HelpedRoom cannot be loaded: acme.Helper uses dev.dormouse.store.LeaseStore");
  }

  @Test
  void roomCodeCannotLoadDormouseClassesByName() throws Exception {
    CustomRoomJar.write(
        lib.resolve("probe.jar"),
        "acme.LookRoom",
        """
        package acme;
        import dev.dormouse.room.*;
        public class LookRoom implements Room {
          public void onMessage(RoomSocket socket, Message message) throws Exception {
            try {
              Class.forName(message.text());
              socket.send("visible");
            } catch (ClassNotFoundException e) {
              socket.send("hidden");
            }
          }
        }
        """);
    Room room = resolver().resolve("acme.LookRoom").get();
    List<String> sent = new ArrayList<>();

    for (String name :
        List.of(
            LeaseStore.class.getName(),
            RedisClient.class.getName(),
            RoomRuntime.class.getName(),
            "dev.dormouse.room.builtin.EchoRoom",
            "com.fasterxml.jackson.databind.ObjectMapper",
            "io.netty.channel.Channel",
            "org.slf4j.Logger",
            Message.class.getName(),
            "java.sql.Connection")) {
      room.onMessage(socketSendingTo(sent), Message.text(name));
    }

    assertThat(sent)
        .containsExactly(
            "hidden", "hidden", "hidden", "hidden", "hidden", "hidden", "hidden", "visible",
            "visible");
  }

  @Test
  void aHandlerIsResolvedOnceAndLaterLookupsDoNotReadTheJarsAgain() throws Exception {
    Path jar = lib.resolve("count.jar");
    CustomRoomJar.write(jar, "acme.CountRoom", COUNT_ROOM);
    HandlerResolver resolver = resolver();
    Supplier<Room> first = resolver.resolve("acme.CountRoom");

    // Emptied, not deleted: the class loader keeps the jar open, so a deleted one would still read.
    Files.write(jar, new byte[0]);

    assertThat(resolver.resolve("acme.CountRoom")).isSameAs(first);
  }

  @Test
  void aBuiltInRoomNamedByItsClassResolvesFromDormouseWhileRoomJarsAreThere() throws Exception {
    CustomRoomJar.write(lib.resolve("count.jar"), "acme.CountRoom", COUNT_ROOM);

    Room room = resolver().resolve(EchoRoom.class.getName()).get();

    assertThat(room).isInstanceOf(EchoRoom.class);
  }

  @Test
  void withoutJarsHandlersAreDormousesOwn() {
    ClassLoader dormouse = getClass().getClassLoader();

    assertThat(RoomLibraries.load(lib.resolve("missing"), dormouse)).isSameAs(dormouse);
    assertThat(RoomLibraries.load(lib, dormouse)).isSameAs(dormouse);
  }

  /** A class of {@code jar}, so a room can be compiled against it without bundling it. */
  private static Class<?> classIn(Path jar, String className) throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()})) {
      return loader.loadClass(className);
    }
  }

  private HandlerResolver resolver() {
    return HandlerResolver.forLibrary(lib, getClass().getClassLoader());
  }

  private static RoomSocket socketSendingTo(List<String> sent) {
    return (RoomSocket)
        Proxy.newProxyInstance(
            RoomSocket.class.getClassLoader(),
            new Class<?>[] {RoomSocket.class},
            (proxy, method, args) -> {
              if (method.getName().equals("send") && args[0] instanceof String text) {
                sent.add(text);
                return null;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
