package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in chat room's join and leave notices over real sockets: a small room announces each to
 * everyone, as it always did; a room past 100 members tells the joiner its id and everyone else
 * the joins and leaves together, so that N joins no longer cost N² frames.
 */
class ChatJoinsIT {

  /** The room's threshold (ChatRoom.NOTICES_UP_TO): up to it, one notice per join to everyone. */
  static final int NOTICES_UP_TO = 100;

  /** A coalesced notice waits for the room's alarm: more than a frame's usual wait on busy cores. */
  static final Duration NOTICE_WAIT = Duration.ofSeconds(30);

  static final ObjectMapper JSON = new ObjectMapper();
  static LocalRunFixture dormouse;
  final List<WsClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    dormouse = LocalRunFixture.start(LocalRunFixture.room("chat", "chat", "instances: true\n"));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::abort);
  }

  @Test
  void aSmallRoomAnnouncesEachJoinAndLeaveToEveryone() {
    WsClient ann = join("small", "ann");
    JsonNode annJoin = next(ann);
    assertThat(annJoin.get("type").asText()).isEqualTo("join");
    assertThat(annJoin.get("name").asText()).isEqualTo("ann");
    WsClient bob = join("small", "bob");
    JsonNode bobJoin = next(bob);
    assertThat(bobJoin.get("name").asText()).isEqualTo("bob");
    assertThat(next(ann)).isEqualTo(bobJoin);

    bob.send("hi");
    JsonNode message = next(ann);
    assertThat(message.get("type").asText()).isEqualTo("message");
    assertThat(message.get("from").asText()).isEqualTo(bobJoin.get("id").asText());
    assertThat(next(bob)).isEqualTo(message);

    bob.close(1000, "bye");
    JsonNode leave = next(ann);
    assertThat(leave.get("type").asText()).isEqualTo("leave");
    assertThat(leave.get("id").asText()).isEqualTo(bobJoin.get("id").asText());
    assertThat(leave.get("name").asText()).isEqualTo("bob");
  }

  @Test
  void fiveHundredJoinsCostFramesInProportionToTheRoomNotItsSquare() {
    int members = 500;
    long started = System.nanoTime();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      WsClient client = join("large", "m" + i);
      // The joiner's first frame is its own join: how it learns its id, in a large room too.
      JsonNode own = next(client);
      assertThat(own.get("type").asText()).isEqualTo("join");
      assertThat(own.get("name").asText()).isEqualTo("m" + i);
      ids.add(own.get("id").asText());
    }
    // The first member hears of every join: one by one up to the threshold, then coalesced.
    WsClient first = clients.get(0);
    long frames = members; // each one's own join
    int told = 1;
    while (told < NOTICES_UP_TO) {
      JsonNode join = next(first);
      assertThat(join.get("type").asText()).isEqualTo("join");
      assertThat(join.get("id").asText()).isEqualTo(ids.get(told++));
      frames++;
    }
    JsonNode last = null;
    while (told < members) {
      last = next(first, NOTICE_WAIT);
      assertThat(last.get("type").asText()).isEqualTo("joins");
      assertThat(last.get("names").size()).isBetween(1, 10);
      told += last.get("count").asInt();
      frames++;
    }
    assertThat(told).isEqualTo(members);
    assertThat(last.get("members").asInt()).isEqualTo(members);
    double seconds = (System.nanoTime() - started) / 1e9;

    // A message from the last joiner fences every socket's notices: each reads up to it.
    clients.get(members - 1).send("hello");
    for (int i = 0; i < members; i++) {
      int notices = 0;
      for (JsonNode frame = next(clients.get(i));
          !frame.get("type").asText().equals("message");
          frame = next(clients.get(i))) {
        frames++;
        if (frame.get("type").asText().equals("joins")) {
          notices++;
        }
      }
      assertThat(notices)
          .as("coalesced notices to m%d in %.1f s", i, seconds)
          .isLessThanOrEqualTo((int) seconds + 2);
    }
    // One notice per join to everyone was members²/2 = 125,250 frames; now the first hundred
    // joins cost 100²/2 and the rest one frame each, plus one notice a second to everyone.
    long bound =
        (long) NOTICES_UP_TO * (NOTICES_UP_TO + 1) / 2
            + (members - NOTICES_UP_TO)
            + ((long) seconds + 2) * members;
    assertThat(frames).as("frames for %d joins in %.1f s", members, seconds).isLessThan(bound);
    assertThat(frames).isLessThan((long) members * members / 4);

    // Leaves, the same: coalesced down to the threshold, then one by one again.
    for (int i = members - 1; i >= NOTICES_UP_TO; i--) {
      clients.get(i).close(1000, "bye");
    }
    int left = 0;
    while (left < members - NOTICES_UP_TO) {
      JsonNode leaves = next(first, NOTICE_WAIT);
      assertThat(leaves.get("type").asText()).isEqualTo("leaves");
      left += leaves.get("count").asInt();
      last = leaves;
    }
    assertThat(left).isEqualTo(members - NOTICES_UP_TO);
    assertThat(last.get("members").asInt()).isEqualTo(NOTICES_UP_TO);
    clients.get(NOTICES_UP_TO - 1).close(1000, "bye");
    JsonNode leave = next(first);
    assertThat(leave.get("type").asText()).isEqualTo("leave");
    assertThat(leave.get("id").asText()).isEqualTo(ids.get(NOTICES_UP_TO - 1));
  }

  WsClient join(String instance, String name) {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/chat/" + instance + "?name=" + name));
    clients.add(client);
    return client;
  }

  static JsonNode next(WsClient client) {
    return next(client, WsClient.WAIT);
  }

  static JsonNode next(WsClient client, Duration timeout) {
    try {
      return JSON.readTree(client.nextText(timeout));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
