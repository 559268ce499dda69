package dev.dormouse.room.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PresenceTest {

  @Test
  void aNoticeCountsEveryJoinButNamesOnlyTheFirstTen() {
    Presence joins = new Presence("joins");
    for (int i = 0; i < 25; i++) {
      joins.add("m" + i);
    }
    assertThat(joins.drain(125))
        .hasValue(
            "{\"type\":\"joins\",\"count\":25,"
                + "\"names\":[\"m0\",\"m1\",\"m2\",\"m3\",\"m4\",\"m5\",\"m6\",\"m7\",\"m8\",\"m9\"],"
                + "\"members\":125}");
  }

  @Test
  void aNoticeTellsOnlyWhatCameSinceTheLastOne() {
    Presence leaves = new Presence("leaves");
    assertThat(leaves.drain(200)).isEmpty();
    leaves.add("ann");
    leaves.drain(199);
    assertThat(leaves.drain(199)).isEmpty();
    leaves.add("bob");
    assertThat(leaves.drain(198))
        .hasValue("{\"type\":\"leaves\",\"count\":1,\"names\":[\"bob\"],\"members\":198}");
  }
}
