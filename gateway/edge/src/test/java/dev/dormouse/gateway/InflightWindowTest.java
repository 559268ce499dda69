package dev.dormouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InflightWindowTest {

  @Test
  void fillsAtTheMessageCountAndReopensAtHalf() {
    InflightWindow window = new InflightWindow(4, 1_000);
    assertThat(window.forwarded(1)).isFalse();
    assertThat(window.forwarded(1)).isFalse();
    assertThat(window.forwarded(1)).isFalse();
    assertThat(window.forwarded(1)).as("the fourth fills it").isTrue();
    assertThat(window.forwarded(1)).as("told once").isFalse();
    assertThat(window.handled(1)).isFalse();
    assertThat(window.handled(1)).isFalse();
    assertThat(window.handled(1)).as("down to half").isTrue();
    assertThat(window.handled(1)).as("told once").isFalse();
  }

  @Test
  void fillsAtTheByteCountEvenWithOneMessageLargerThanTheWindow() {
    InflightWindow window = new InflightWindow(100, 1_000);
    assertThat(window.forwarded(400)).isFalse();
    assertThat(window.forwarded(5_000)).isTrue();
    assertThat(window.handled(400)).isFalse();
    assertThat(window.handled(5_000)).isTrue();
  }

  @Test
  void reopensOnlyWhenBothCountsAreDownToHalf() {
    InflightWindow window = new InflightWindow(4, 1_000);
    window.forwarded(10);
    window.forwarded(10);
    window.forwarded(10);
    assertThat(window.forwarded(980)).isTrue();
    window.handled(10);
    assertThat(window.handled(10)).as("two messages left, but 990 bytes").isFalse();
    assertThat(window.handled(980)).isTrue();
  }
}
