package dev.dormouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRouteTest {

  @Test
  void theRoomIsTheFirstSegmentUnderRooms() {
    assertThat(HttpRoute.room("/rooms/counter")).contains("counter");
    assertThat(HttpRoute.room("/rooms/counter/a/b")).contains("counter");
    assertThat(HttpRoute.room("/rooms/")).isEmpty();
    assertThat(HttpRoute.room("/rooms//x")).isEmpty();
    assertThat(HttpRoute.room("/websocket")).isEmpty();
    assertThat(HttpRoute.room("/roomsx/a")).isEmpty();
  }

  @Test
  void aRoomWithInstancesTakesTheNextSegmentAsTheInstance() {
    assertThat(HttpRoute.of("/rooms/counter/a", "counter", true))
        .contains(new HttpRoute("counter", "a", "/"));
    assertThat(HttpRoute.of("/rooms/counter/a/", "counter", true))
        .contains(new HttpRoute("counter", "a", "/"));
    assertThat(HttpRoute.of("/rooms/counter/a/total/x", "counter", true))
        .contains(new HttpRoute("counter", "a", "/total/x"));
    assertThat(HttpRoute.of("/rooms/counter", "counter", true))
        .contains(new HttpRoute("counter", "", "/"));
    assertThat(HttpRoute.of("/rooms/counter/", "counter", true))
        .contains(new HttpRoute("counter", "", "/"));
    assertThat(HttpRoute.of("/rooms/counter//x", "counter", true)).isEmpty();
  }

  @Test
  void aRoomWithoutInstancesHandsTheWholeRestToTheRoom() {
    assertThat(HttpRoute.of("/rooms/tally", "tally", false))
        .contains(new HttpRoute("tally", "", "/"));
    assertThat(HttpRoute.of("/rooms/tally/a/b", "tally", false))
        .contains(new HttpRoute("tally", "", "/a/b"));
    assertThat(HttpRoute.of("/rooms/tally/", "tally", false))
        .contains(new HttpRoute("tally", "", "/"));
  }

  @Test
  void hopByHopHeadersAndThoseConnectionNamesAreNotPassed() {
    Map<String, List<String>> kept =
        HopByHop.strip(
            Map.of(
                "Connection", List.of("keep-alive, X-Secret-Hop"),
                "x-secret-hop", List.of("1"),
                "transfer-encoding", List.of("chunked"),
                "content-length", List.of("5"),
                "upgrade", List.of("h2c"),
                "te", List.of("trailers"),
                "X-Kept", List.of("yes"),
                "cookie", List.of("a=b")));
    assertThat(kept).containsOnlyKeys("x-kept", "cookie").containsEntry("x-kept", List.of("yes"));
  }
}
