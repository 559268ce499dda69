package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room's code cannot reach the host: every way GraalJS could offer to read a file, open a socket,
 * load a Java class or start a thread fails inside the handler, and nothing happens outside it.
 */
class SandboxTest {

  @TempDir Path lib;

  /** Tries each attempt of the message and answers what became of it. */
  static final String PROBE =
      """
      export class Room {
        async webSocketMessage(ws, code) {
          try {
            const result = await (0, eval)(code);
            ws.send("ALLOWED " + String(result));
          } catch (e) {
            ws.send("denied");
          }
        }
      }
      """;

  String attempt(RoomDriver driver, String code) throws Exception {
    FakeSocket socket = new FakeSocket("s");
    driver.send(socket, code);
    return socket.transcript.get(0).substring("s <- ".length());
  }

  @Test
  void aModuleCannotReadAFile(@TempDir Path elsewhere) throws Exception {
    Path secret = elsewhere.resolve("secret.js");
    Files.writeString(secret, "export default 'the secret';\n");
    String path = secret.toString();
    try (RoomDriver driver = RoomDriver.of(lib, PROBE)) {
      assertThat(attempt(driver, "import('" + path + "').then(m => m.default)"))
          .isEqualTo("denied");
      assertThat(attempt(driver, "import('file://" + path + "').then(m => m.default)"))
          .isEqualTo("denied");
      assertThat(attempt(driver, "load('" + path + "')")).isEqualTo("denied");
      assertThat(attempt(driver, "read('" + path + "')")).isEqualTo("denied");
      assertThat(attempt(driver, "readFile('" + path + "')")).isEqualTo("denied");
      assertThat(attempt(driver, "require('fs').readFileSync('" + path + "')")).isEqualTo("denied");
      assertThat(attempt(driver, "new (Java.type('java.io.FileReader'))('" + path + "')"))
          .isEqualTo("denied");
    }
  }

  @Test
  void aModuleCannotOpenASocket() throws Exception {
    try (ServerSocket server = new ServerSocket(0);
        RoomDriver driver = RoomDriver.of(lib, PROBE)) {
      int port = server.getLocalPort();
      assertThat(attempt(driver, "new (Java.type('java.net.Socket'))('127.0.0.1', " + port + ")"))
          .isEqualTo("denied");
      assertThat(attempt(driver, "fetch('http://127.0.0.1:" + port + "/')")).isEqualTo("denied");
      assertThat(attempt(driver, "import('http://127.0.0.1:" + port + "/x.js')"))
          .isEqualTo("denied");
      assertThat(attempt(driver, "new WebSocket('ws://127.0.0.1:" + port + "/')"))
          .isEqualTo("denied");
      server.setSoTimeout(200);
      boolean connected;
      try (var accepted = server.accept()) {
        connected = true;
      } catch (SocketTimeoutException e) {
        connected = false;
      }
      assertThat(connected).as("a connection reached the test's port").isFalse();
    }
  }

  @Test
  void aModuleCannotLoadAJavaClass() throws Exception {
    try (RoomDriver driver = RoomDriver.of(lib, PROBE)) {
      assertThat(attempt(driver, "Java.type('java.lang.System').exit(3)")).isEqualTo("denied");
      assertThat(attempt(driver, "java.lang.System.exit(3)")).isEqualTo("denied");
      assertThat(attempt(driver, "Packages.java.lang.Runtime.getRuntime()")).isEqualTo("denied");
      assertThat(attempt(driver, "Polyglot.eval('js', '1')")).isEqualTo("denied");
      // A host object handed in cannot be used as one: the socket bridge is not reachable either.
      assertThat(attempt(driver, "globalThis.__host.log('info', 'x')")).isEqualTo("denied");
    }
  }

  @Test
  void aModuleCannotStartAThread() throws Exception {
    try (RoomDriver driver = RoomDriver.of(lib, PROBE)) {
      int before = Thread.activeCount();
      assertThat(attempt(driver, "new (Java.type('java.lang.Thread'))(() => {}).start()"))
          .isEqualTo("denied");
      assertThat(attempt(driver, "new Worker('x.js')")).isEqualTo("denied");
      assertThat(attempt(driver, "Java.type('java.util.concurrent.Executors')"))
          .isEqualTo("denied");
      assertThat(attempt(driver, "Java.type('java.lang.ProcessBuilder')")).isEqualTo("denied");
      assertThat(Thread.activeCount()).isLessThanOrEqualTo(before);
    }
  }

  @Test
  void nothingOfJavaIsLeftAmongTheGlobals() throws Exception {
    try (RoomDriver driver = RoomDriver.of(lib, PROBE)) {
      assertThat(
              attempt(
                  driver,
                  "['Java', 'Packages', 'java', 'javax', 'Polyglot', 'Graal', 'load', 'print', 'quit',"
                      + " 'read', 'readbuffer', 'printErr', '__host', '__dormouseExports']"
                      + ".filter(n => typeof globalThis[n] !== 'undefined').join()"))
          .isEqualTo("ALLOWED ");
    }
  }

  @Test
  void aTimerAtAModulesTopLevelIsRefusedAsOnWorkers() throws Exception {
    RoomDriver.write(lib, "t.js", "export class Room {}\nsetTimeout(() => {}, 10);\n");
    assertThatThrownBy(() -> RoomDriver.load(lib, "t.js#Room"))
        .hasMessage(
            "t.js:2:1: Error: setTimeout can be called only while the room handles an event (not at"
                + " a module's top level)");
  }
}
