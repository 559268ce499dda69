package dev.dormouse.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The benchmark server ({@link BenchServer}) in a JVM of its own, for the memory scenario: its
 * resident memory is then the product's alone, with the heap flags a user would give it, and its
 * file-descriptor limit its own. Driven like the load client ({@link ClientProcess}), one command a
 * line:
 *
 * <ul>
 *   <li>{@code ws PATH} — the server's URI of PATH, and this JVM's pid
 *   <li>{@code mark} — remembers the evictions so far; {@code hibernated SECONDS} waits until an
 *       instance was evicted since and none is in memory
 *   <li>{@code heap} — used heap after full collections, direct buffer bytes, active instances
 *   <li>{@code quit}
 * </ul>
 */
public final class MemoryServer {

  private MemoryServer() {}

  public static void main(String[] args) throws Exception {
    // Answers go to the real stdout; anything else printing there would corrupt the protocol.
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (BenchServer server = BenchServer.start()) {
      double mark = server.evictions();
      for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
        String[] cmd = line.trim().split(" ");
        try {
          switch (cmd[0]) {
            case "ws" ->
                out.println("ok ws=" + server.ws(cmd[1]) + " pid=" + ProcessHandle.current().pid());
            case "mark" -> {
              mark = server.evictions();
              out.println("ok evictions=" + (long) mark);
            }
            case "hibernated" -> {
              server.awaitHibernation(mark, Duration.ofSeconds(Long.parseLong(cmd[1])));
              out.println("ok active=" + server.activeInstances());
            }
            case "heap" ->
                out.println(
                    "ok heap="
                        + BenchServer.usedHeapAfterGc()
                        + " direct="
                        + BenchServer.directBufferBytes()
                        + " active="
                        + server.activeInstances());
            default -> out.println("error unknown command " + cmd[0]);
          }
        } catch (Exception e) {
          out.println("error " + e.toString().replace('\n', ' '));
        }
      }
    }
    // Undertow's and Lettuce's threads may linger after close: the run is over, so end the JVM.
    System.exit(0);
  }
}
