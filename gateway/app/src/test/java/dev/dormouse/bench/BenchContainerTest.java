package dev.dormouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchContainerTest {

  @Test
  void readsDockerStatsSizesInEachUnit() {
    assertThat(BenchContainer.parseSize("188.3MiB")).isEqualTo(197_446_860L);
    assertThat(BenchContainer.parseSize("1.5GiB")).isEqualTo(1_610_612_736L);
    assertThat(BenchContainer.parseSize("512KiB")).isEqualTo(524_288L);
    assertThat(BenchContainer.parseSize("100B")).isEqualTo(100L);
  }

  @Test
  void refusesWhatIsNotASize() {
    assertThatThrownBy(() -> BenchContainer.parseSize("--"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
