package dev.dormouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final String PAGE =
      """
      # TYPE dormouse_evictions_total counter
      dormouse_evictions_total{room="a"} 2.0
      dormouse_evictions_total{room="b"} 3.0
      dormouse_evictions_total_created 1.7E9
      dormouse_instances_active 0.0
      """;

  @Test
  void sumsASeriesOverItsLabelsAndNothingElse() {
    assertThat(PrometheusText.sum(PAGE, "dormouse_evictions_total")).isEqualTo(5.0);
    assertThat(PrometheusText.sum(PAGE, "dormouse_instances_active")).isEqualTo(0.0);
  }

  @Test
  void aSeriesNotThereYetIsZero() {
    assertThat(PrometheusText.sum(PAGE, "dormouse_revivals_total")).isEqualTo(0.0);
  }
}
