package dev.dormouse.operator.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.contract.ActivityReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomActivityTest {

  private final RoomActivity activity =
      new RoomActivity(
          Map.of(
              "a", new ActivityReport(3, 1_000, 5_000),
              "b", new ActivityReport(2, 4_000, 5_000),
              "c", new ActivityReport(0, 0, 5_000)),
          7,
          4);

  @Test
  void sumsAndPicksTheLatestActivity() {
    assertThat(activity.activeInstances()).isEqualTo(5);
    assertThat(activity.activeInstancesOn(List.of("b", "gone"))).isEqualTo(2);
    assertThat(activity.activeInstancesOf("gone")).isZero();
    assertThat(activity.lastActivity()).contains(Instant.ofEpochMilli(4_000));
  }

  @Test
  void noReportMeansNoKnownActivity() {
    assertThat(new RoomActivity(Map.of(), 0, 0).lastActivity()).isEmpty();
  }
}
