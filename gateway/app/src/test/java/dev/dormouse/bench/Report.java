package dev.dormouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Markdown lines of the results, printed as they come and written to a file at the end. */
final class Report {

  private final List<String> lines = new ArrayList<>();

  void line(String text) {
    lines.add(text);
    System.out.println(text);
    System.out.flush();
  }

  void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, String.join("\n", lines) + "\n");
  }
}
