package dev.dormouse.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CRD is generated from Java; the copies users apply must never drift from it. */
class CommittedCrdTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "websocketrooms.dormouse.dev-v1.yml",
        "../helm/dormouse/crds/websocketrooms.dormouse.dev-v1.yml"
      })
  void committedCopyIsTheGeneratedOne(String committed) throws IOException {
    Path copy = Path.of(committed);
    assertThat(copy).as("committed CRD %s", copy).exists();
    assertThat(Files.readString(copy))
        .as(
            "%s differs from the generated CRD: run `cp %s %s` and commit",
            copy, GeneratedCrdTest.GENERATED, copy)
        .isEqualTo(Files.readString(GeneratedCrdTest.GENERATED));
  }
}
