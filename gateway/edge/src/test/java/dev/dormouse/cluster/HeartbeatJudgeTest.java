package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeartbeatJudgeTest {

  static final long SECOND = 1_000_000_000L;
  static final Duration DEAD_AFTER = Duration.ofSeconds(10);

  /** A wall clock long after every beat below. */
  static final long NOW_MILLIS = 1_000_000_000L;

  /** Rounds every second, as {@link #rounds} makes them. */
  final HeartbeatJudge judge = new HeartbeatJudge(DEAD_AFTER, Duration.ofSeconds(1));

  /** Rounds every second from {@code fromSecond} to {@code toSecond}; what the last one finds dead. */
  List<String> rounds(Map<String, String> beats, int fromSecond, int toSecond) {
    List<String> dead = List.of();
    for (int s = fromSecond; s <= toSecond; s++) {
      dead = judge.dead(beats, "self", NOW_MILLIS + s * 1000L, s * SECOND);
    }
    return dead;
  }

  @Test
  void aBeatThatStaysOldIsDeadOnceSeenUnchangedForDeadAfter() {
    Map<String, String> beats = Map.of("gw-old", "5", "self", "5");
    assertThat(rounds(beats, 0, 9)).isEmpty();
    assertThat(rounds(beats, 10, 10)).containsExactly("gw-old");
  }

  @Test
  void aGatewayThatBeatsAgainIsNotDead() {
    assertThat(rounds(Map.of("gw", "5"), 0, 9)).isEmpty();
    assertThat(rounds(Map.of("gw", "6"), 10, 19)).as("a new beat is seen afresh").isEmpty();
  }

  /** Redis was unreachable for everyone: the beats are old only because none could be written. */
  @Test
  void afterAGapInItsOwnRoundsTheJudgeLooksAfresh() {
    Map<String, String> beats = Map.of("gw", "5");
    assertThat(rounds(beats, 0, 2)).isEmpty();
    assertThat(rounds(beats, 20, 29)).as("rounds resumed after 18 s without one").isEmpty();
    assertThat(rounds(beats, 30, 30)).containsExactly("gw");
  }

  /** Rounds as far apart as the heartbeat interval, close to deadAfter (2 s against 3 s), still add up. */
  @Test
  void roundsAsSparseAsTheirIntervalStillReap() {
    HeartbeatJudge sparse = new HeartbeatJudge(Duration.ofSeconds(3), Duration.ofSeconds(2));
    Map<String, String> beats = Map.of("gw", "5");
    assertThat(sparse.dead(beats, "self", NOW_MILLIS, 0)).isEmpty();
    assertThat(sparse.dead(beats, "self", NOW_MILLIS + 2000, 2 * SECOND)).isEmpty();
    assertThat(sparse.dead(beats, "self", NOW_MILLIS + 4000, 4 * SECOND)).containsExactly("gw");
  }

  @Test
  void aFailedRoundForgetsWhatWasSeen() {
    Map<String, String> beats = Map.of("gw", "5");
    assertThat(rounds(beats, 0, 9)).isEmpty();
    judge.interrupted();
    assertThat(rounds(beats, 10, 19)).isEmpty();
    assertThat(rounds(beats, 20, 20)).containsExactly("gw");
  }

  @Test
  void aRecentBeatIsNeverDeadHoweverLongItIsSeen() {
    long recent = NOW_MILLIS + 25_000;
    assertThat(rounds(Map.of("gw", Long.toString(recent)), 0, 30)).isEmpty();
  }
}
