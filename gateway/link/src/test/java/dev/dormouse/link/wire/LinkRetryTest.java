package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class LinkRetryTest {

  /** The test's clock, moved by the tests. */
  final AtomicLong clock = new AtomicLong(5_000_000_000L);

  /** Every delay at its ceiling, so that the tests see the ceilings. */
  final LinkRetry retry = new LinkRetry(clock::get, LongUnaryOperator.identity());

  @Test
  void anOwnerNotListeningYetIsRetriedAtTheFirstIntervalWhileItStarts() {
    List<Long> delays = new ArrayList<>();
    // An owner's start of about three seconds, one attempt per interval.
    for (long waited = 0; waited < 3_000; waited += delays.get(delays.size() - 1)) {
      delays.add(retry.nextDelayMillis());
      clock.addAndGet(delays.get(delays.size() - 1) * 1_000_000);
    }

    assertThat(delays).hasSizeGreaterThan(50).containsOnly(LinkRetry.FIRST_MILLIS);
  }

  @Test
  void pastTheStartPatienceTheWaitBacksOffToItsCap() {
    retry.nextDelayMillis();
    clock.addAndGet(LinkRetry.START_PATIENCE.toNanos());

    assertThat(retry.nextDelayMillis()).isEqualTo(LinkRetry.FIRST_MILLIS << 1);
    for (int i = 0; i < 10; i++) {
      retry.nextDelayMillis();
    }
    assertThat(retry.nextDelayMillis()).isEqualTo(LinkRetry.MAX_MILLIS);
  }

  @Test
  void aLinkThatWasUpBacksOffAtOnceWhenLostAndStartsOverOnceUpAgain() {
    retry.linked();

    assertThat(List.of(retry.nextDelayMillis(), retry.nextDelayMillis(), retry.nextDelayMillis()))
        .containsExactly(50L, 100L, 200L);
    retry.linked();
    assertThat(retry.nextDelayMillis()).isEqualTo(LinkRetry.FIRST_MILLIS);
  }

  @Test
  void onlyTheFirstFailureInARowIsTheFirst() {
    assertThat(retry.firstFailure()).isTrue();
    retry.nextDelayMillis();
    assertThat(retry.firstFailure()).isFalse();
    retry.linked();
    assertThat(retry.firstFailure()).isTrue();
  }
}
