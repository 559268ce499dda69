package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdIT {

  private static final Path GENERATED =
      Path.of(
          System.getProperty(
              "dormouse.generatedCrd", "../crds/websocketrooms.dormouse.dev-v1.yml"));
  private static final String SOURCE =
      "# Source: dormouse/crds/websocketrooms.dormouse.dev-v1.yml\n";

  @Test
  void chartInstallsTheGeneratedCrdUnchanged() throws IOException {
    Helm.Result result = Helm.templateResult(List.of("--include-crds"));
    assertThat(result.exitCode()).as(result.stderr()).isZero();

    String output = result.stdout();
    assertThat(output).contains(SOURCE);
    int start = output.indexOf(SOURCE) + SOURCE.length();
    int end = output.indexOf("\n---\n", start);
    String rendered = output.substring(start, end < 0 ? output.length() : end);

    assertThat(stripTrailingNewlines(rendered))
        .isEqualTo(stripTrailingNewlines(Files.readString(GENERATED)));
  }

  /** helm separates documents with a blank line; the content is otherwise byte for byte. */
  private static String stripTrailingNewlines(String text) {
    return text.replaceAll("\n+$", "");
  }
}
