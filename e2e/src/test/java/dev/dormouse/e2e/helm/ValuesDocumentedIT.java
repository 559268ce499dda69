package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** `helm show values` is the chart's manual: every key must say what it does. */
class ValuesDocumentedIT {

  private static final Pattern KEY = Pattern.compile("^\\s*[A-Za-z][\\w.-]*:.*");

  @Test
  void everyKeyHasACommentAboveIt() throws IOException {
    List<String> lines = Files.readAllLines(Helm.CHART.resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (KEY.matcher(lines.get(i)).matches()
          && (i == 0 || !lines.get(i - 1).strip().startsWith("#"))) {
        undocumented.add((i + 1) + ": " + lines.get(i).strip());
      }
    }
    assertThat(undocumented).isEmpty();
  }
}
