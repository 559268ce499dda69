package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An idle room is evicted with its sockets left open; its next event rebuilds it from Redis with
 * every connection, attachment and tag.
 */
class HibernationIT {

  static final String ROOM =
      LocalRunFixture.room(
          "probe",
          "dev.dormouse.testing.ProbeRoom",
          """
      instances: true
      hibernation:
        idleTimeout: 300ms
      autoResponse:
        request: ping
        response: pong
      """);

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.start(ROOM);
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  static void awaitHibernation(double evictionsBefore) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                dormouse.run().metrics().evictions() > evictionsBefore
                    && dormouse.run().runtime().activeInstances() == 0);
  }

  /**
   * A socket the revived room has no record of (Redis lost it, or it was reaped as a dead gateway's)
   * is told to connect again, where its messages would otherwise vanish without a word.
   */
  @Test
  void aSocketTheRevivedRoomDoesNotKnowIsToldToConnectAgain() {
    WsClient lost = WsClient.connect(dormouse.ws("/rooms/probe/forgotten?name=lost"));
    lost.send("hello");
    assertThat(lost.nextText()).isEqualTo("echo:hello");
    awaitHibernation(dormouse.run().metrics().evictions());
    dormouse
        .run()
        .redis()
        .sync()
        .del(RedisKeys.connections(new RoomKey("default", "probe", "forgotten")));

    lost.send("anyone there?");

    WsClient.Close close = lost.awaitClose();
    assertThat(close.code()).isEqualTo(1013);
    assertThat(close.reason()).contains("connect again");
  }

  @Test
  void revivedRoomSeesEverySocketWithAttachmentAndTags() {
    WsClient ann = WsClient.connect(dormouse.ws("/rooms/probe/revive?name=ann&tags=red,blue"));
    WsClient bob = WsClient.connect(dormouse.ws("/rooms/probe/revive?name=bob&tags=red"));
    WsClient cy = WsClient.connect(dormouse.ws("/rooms/probe/revive?name=cy"));
    double evictions = dormouse.run().metrics().evictions();
    double revivals = dormouse.run().metrics().revivals();
    awaitHibernation(evictions);

    ann.send("who");

    for (WsClient client : List.of(ann, bob, cy)) {
      assertThat(client.nextText()).isEqualTo("who ann[red, blue] bob[red] cy[]");
      assertThat(client.isClosed()).isFalse();
    }
    assertThat(dormouse.run().metrics().revivals()).isEqualTo(revivals + 1);
    bob.send("tagged:red");
    assertThat(bob.nextText()).isEqualTo("tagged 2");
  }

  @Test
  void changedTagsAndStorageSurviveHibernation() {
    WsClient dee = WsClient.connect(dormouse.ws("/rooms/probe/tags?name=dee&tags=old"));
    dee.send("retag:new,shiny");
    assertThat(dee.nextText()).isEqualTo("tags [new, shiny]");
    dee.send("store:score=42");
    assertThat(dee.nextText()).isEqualTo("stored");
    awaitHibernation(dormouse.run().metrics().evictions());

    dee.send("who");
    assertThat(dee.nextText()).isEqualTo("who dee[new, shiny]");
    dee.send("load:score");
    assertThat(dee.nextText()).isEqualTo("loaded 42");
  }

  @Test
  void pingDuringHibernationIsAnsweredWithoutWaking() {
    WsClient eve = WsClient.connect(dormouse.ws("/rooms/probe/ping?name=eve"));
    eve.send("hello");
    assertThat(eve.nextText()).isEqualTo("echo:hello");
    awaitHibernation(dormouse.run().metrics().evictions());
    double revivals = dormouse.run().metrics().revivals();
    double answered = dormouse.run().metrics().autoResponses();

    eve.send("ping");

    assertThat(eve.nextText()).isEqualTo("pong");
    assertThat(dormouse.run().metrics().autoResponses()).isEqualTo(answered + 1);
    assertThat(dormouse.run().metrics().revivals()).isEqualTo(revivals);
    assertThat(dormouse.run().runtime().activeInstances()).isZero();
    // The room can still tell when the gateway last answered for it.
    eve.send("autots");
    assertThat(eve.nextText()).isEqualTo("autots true");
  }

  @Test
  void anAlarmWakesAHibernatedRoom() {
    WsClient fay = WsClient.connect(dormouse.ws("/rooms/probe/alarm?name=fay"));
    fay.send("alarm:1500");
    assertThat(fay.nextText()).isEqualTo("alarm set");
    double revivals = dormouse.run().metrics().revivals();
    awaitHibernation(dormouse.run().metrics().evictions());

    assertThat(fay.nextText()).isEqualTo("alarm rang");
    assertThat(dormouse.run().metrics().revivals()).isGreaterThan(revivals);
  }
}
