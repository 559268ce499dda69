package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RedisStall;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection's record is written in the background while what the room sends waits behind it (the
 * owner's output gate): nobody hears of a join before Redis knows the joiner, the joiner hears its
 * own greeting once its socket is open, a joiner Redis cannot take is refused and its room says it
 * left, and a socket that closes as it opens leaves no record.
 */
class ConnectRegistrationIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int STALL_SECONDS = 2;

  LocalRunFixture dormouse;
  final List<WsClient> clients = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room("chat", "chat", "instances: true\n"),
            LocalRunFixture.room("probe", "dev.dormouse.testing.ProbeRoom", "instances: true\n"));
  }

  @AfterEach
  void stop() throws IOException {
    clients.forEach(WsClient::abort);
    dormouse.close();
  }

  @Test
  void nobodyHearsOfAJoinBeforeRedisHasTheJoinerWhoHearsItsOwnJoinOnceOpen() throws Exception {
    WsClient ann = join("hall", "ann");
    assertThat(next(ann).get("name").asText()).isEqualTo("ann");

    CompletableFuture<WsClient> bob;
    try (RedisStall redis = new RedisStall(dormouse.redis().url())) {
      CompletableFuture<String> stall = redis.sleep(STALL_SECONDS);
      bob = CompletableFuture.supplyAsync(() -> join("hall", "bob"));
      // The join notice is sent from onConnect, before the record write: it must wait for it.
      await()
          .during(Duration.ofMillis(STALL_SECONDS * 1000 / 2))
          .atMost(Duration.ofSeconds(STALL_SECONDS))
          .until(() -> ann.nothingReceived() && !stall.isDone());
      assertThat(stall.get(STALL_SECONDS + 10, TimeUnit.SECONDS)).isEqualTo("OK");
    }

    WsClient joined = bob.get(30, TimeUnit.SECONDS);
    JsonNode bobJoin = next(joined);
    assertThat(bobJoin.get("type").asText()).isEqualTo("join");
    assertThat(bobJoin.get("name").asText()).isEqualTo("bob");
    assertThat(next(ann)).isEqualTo(bobJoin);
    joined.send("hello");
    assertThat(next(joined).get("text").asText()).as("in order after its join").isEqualTo("hello");
    assertThat(records("chat", "hall")).hasSize(2);
  }

  @Test
  void aJoinerRedisCannotTakeIsRefusedAndTheRoomTellsTheOthersItLeft() throws Exception {
    WsClient ann = join("lobby", "ann");
    assertThat(next(ann).get("name").asText()).isEqualTo("ann");
    int port = dormouse.redis().port();
    dormouse.redis().stop();

    assertThat(WsClient.refusedStatus(dormouse.ws("/rooms/chat/lobby?name=bob"), Map.of()))
        .isEqualTo(503);

    JsonNode heard = next(ann);
    assertThat(heard.get("type").asText()).isEqualTo("join");
    assertThat(heard.get("name").asText()).isEqualTo("bob");
    JsonNode left = next(ann);
    assertThat(left.get("type").asText()).as("the room does not keep a ghost").isEqualTo("leave");
    assertThat(left.get("name").asText()).isEqualTo("bob");
    ann.send("still here");
    assertThat(next(ann).get("text").asText()).isEqualTo("still here");
    assertThat(dormouse.run().metrics().errors("storage")).isPositive();
    try (EmbeddedRedis back = EmbeddedRedis.start(port)) {
      ann.send("and again");
      assertThat(next(ann).get("text").asText()).isEqualTo("and again");
    }
  }

  @Test
  void socketsThatCloseAsTheyOpenLeaveNoRecord() {
    for (int i = 0; i < 50; i++) {
      WsClient.connect(dormouse.ws("/rooms/probe/brief?name=b" + i)).close(1000, "bye");
    }
    WsClient stays = WsClient.connect(dormouse.ws("/rooms/probe/brief?name=stays"));
    clients.add(stays);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(records("probe", "brief")).hasSize(1));
    stays.send("who");
    assertThat(stays.nextText()).isEqualTo("who stays[]");
  }

  private WsClient join(String instance, String name) {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/chat/" + instance + "?name=" + name));
    clients.add(client);
    return client;
  }

  private static JsonNode next(WsClient client) {
    try {
      return JSON.readTree(client.nextText());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, String> records(String room, String instance) {
    return dormouse
        .run()
        .redis()
        .sync()
        .hgetall(RedisKeys.connections(new RoomKey("default", room, instance)));
  }
}
