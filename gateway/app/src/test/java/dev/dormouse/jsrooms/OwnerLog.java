package dev.dormouse.jsrooms;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What the owner logs while a test runs: the local run logs through slf4j-simple, which writes to
 * whatever {@code System.err} is at each line, so a copy of it is what an operator would read.
 */
final class OwnerLog implements AutoCloseable {

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

  private OwnerLog() {}

  static OwnerLog capture() {
    OwnerLog log = new OwnerLog();
    System.setErr(new PrintStream(new Tee(log.original, log.copy), true, StandardCharsets.UTF_8));
    return log;
  }

  String text() {
    synchronized (copy) {
      return copy.toString(StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    System.setErr(original);
  }

  /** Writes to the console as before and keeps a copy. */
  private static final class Tee extends OutputStream {
    private final PrintStream console;
    private final ByteArrayOutputStream copy;

    Tee(PrintStream console, ByteArrayOutputStream copy) {
      this.console = console;
      this.copy = copy;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      synchronized (copy) {
        copy.write(bytes, offset, length);
      }
      console.write(bytes, offset, length);
    }
  }
}
