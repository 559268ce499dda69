package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeartbeatLeaseTest {

  final AtomicLong clock = new AtomicLong(1_000);
  final HeartbeatLease lease = new HeartbeatLease(Duration.ofNanos(100), clock::get);

  @Test
  void runsFromTheSendTimeOfTheLastAcknowledgedBeatNotItsAnswer() {
    long sent = lease.now();
    clock.addAndGet(90); // the answer took long
    lease.acknowledged(sent);
    clock.addAndGet(10);
    assertThat(lease.expired()).isFalse();
    clock.addAndGet(1);
    assertThat(lease.expired()).isTrue();
  }

  @Test
  void aLateAnswerToAnOlderBeatDoesNotShortenIt() {
    long older = lease.now();
    clock.addAndGet(50);
    lease.acknowledged(lease.now());
    lease.acknowledged(older);
    clock.addAndGet(100);
    assertThat(lease.expired()).isFalse();
  }

  @Test
  void expiresWithoutAnyAcknowledgedBeat() {
    clock.addAndGet(100);
    assertThat(lease.expired()).isFalse();
    clock.addAndGet(1);
    assertThat(lease.expired()).isTrue();
  }
}
