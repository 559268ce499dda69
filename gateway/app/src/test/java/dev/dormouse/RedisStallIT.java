package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.ConnectionRecord;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RedisStall;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis stalls ({@code DEBUG SLEEP}) while more rooms than the owner has room threads wait on it: a
 * room whose events need no Redis keeps answering at once, and when Redis answers again everything
 * that waited proceeds, in order, nothing lost.
 */
class RedisStallIT {

  /** Rooms with Redis work in flight: twice the local run's four room threads. */
  static final int WRITERS = 8;

  static final int STALL_SECONDS = 3;
  static final int BURST = 10;

  /** Far above an echo's few milliseconds, far below the 1–3 s a room stuck behind Redis waits. */
  static final long MAX_ECHO_MILLIS = 500;

  static final ObjectMapper JSON = new ObjectMapper();

  static LocalRunFixture dormouse;

  /** The clients that wait for answers while the test goes on. */
  static final ExecutorService clients = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room("echo", "echo", ""),
            LocalRunFixture.room("probe", "dev.dormouse.testing.ProbeRoom", "instances: true\n"),
            LocalRunFixture.room("chat", "chat", "instances: true\n"));
  }

  @AfterAll
  static void stop() throws Exception {
    clients.shutdownNow();
    dormouse.close();
  }

  @Test
  void aRoomWithoutRedisWorkKeepsAnsweringWhileRedisStallsAndTheRestCatchesUpInOrder()
      throws Exception {
    WsClient echo = WsClient.connect(dormouse.ws("/rooms/echo"));
    echo.send("warm");
    assertThat(echo.nextText()).isEqualTo("warm");
    List<WsClient> writers = new ArrayList<>();
    for (int i = 0; i < WRITERS; i++) {
      writers.add(WsClient.connect(dormouse.ws("/rooms/probe/writer" + i + "?name=w" + i)));
    }
    WsClient burst = WsClient.connect(dormouse.ws("/rooms/probe/burst?name=b"));
    WsClient staying = WsClient.connect(dormouse.ws("/rooms/chat/hall?name=staying"));
    assertThat(staying.nextText()).contains("\"join\"", "staying");
    WsClient leaving = WsClient.connect(dormouse.ws("/rooms/chat/hall?name=leaving"));
    assertThat(staying.nextText()).contains("\"join\"", "leaving");

    AtomicBoolean stop = new AtomicBoolean();
    List<CompletableFuture<Integer>> writes =
        writers.stream()
            .map(
                writer ->
                    CompletableFuture.supplyAsync(() -> writeAndReadBack(writer, stop), clients))
            .toList();
    Pinger pinger = new Pinger(echo);
    CompletableFuture<WsClient> joining;
    try (RedisStall redis = new RedisStall(dormouse.redis().url())) {
      CompletableFuture<String> stall = redis.sleep(STALL_SECONDS);
      leaving.close(1000, "bye");
      joining =
          CompletableFuture.supplyAsync(
              () -> WsClient.connect(dormouse.ws("/rooms/chat/hall?name=joining")), clients);
      for (int i = 1; i <= BURST; i++) {
        burst.send("store:k=" + i);
        burst.send("load:k");
      }
      assertThat(stall.get(STALL_SECONDS + 10, TimeUnit.SECONDS)).isEqualTo("OK");
    } finally {
      stop.set(true);
      pinger.stop();
    }

    assertThat(pinger.failures).as("every echo came back, in order").isEmpty();
    assertThat(pinger.latenciesMillis)
        .as("echo latencies (ms) while Redis stalled: %s", pinger.latenciesMillis)
        .allMatch(millis -> millis < MAX_ECHO_MILLIS);
    assertThat(pinger.latenciesMillis)
        .as("pings during a %d s stall", STALL_SECONDS)
        .hasSizeGreaterThan(STALL_SECONDS * 10);

    for (int i = 0; i < WRITERS; i++) {
      int rounds = writes.get(i).get(30, TimeUnit.SECONDS);
      assertThat(stored("probe", "writer" + i))
          .as("writer %d's last write", i)
          .isEqualTo(Integer.toString(rounds));
    }
    for (int i = 1; i <= BURST; i++) {
      assertThat(burst.nextText()).isEqualTo("stored");
      assertThat(burst.nextText()).as("the burst ran in order").isEqualTo("loaded " + i);
    }
    WsClient joined = joining.get(30, TimeUnit.SECONDS);
    assertThat(joined.nextText()).contains("\"join\"", "joining");
    assertThat(List.of(staying.nextText(), staying.nextText()))
        .anySatisfy(t -> assertThat(t).contains("\"leave\"", "leaving"))
        .anySatisfy(t -> assertThat(t).contains("\"join\"", "joining"));
    assertThat(leaving.awaitClose().code()).isEqualTo(1000);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> members("hall").equals(Set.of("staying", "joining")));
  }

  /**
   * Stores a counter and reads it back, round after round, until told to stop: always one Redis call
   * in flight for its room. Returns the last value stored.
   */
  private static int writeAndReadBack(WsClient writer, AtomicBoolean stop) {
    int round = 0;
    while (!stop.get()) {
      round++;
      writer.send("store:k=" + round);
      assertThat(writer.nextText()).isEqualTo("stored");
      writer.send("load:k");
      assertThat(writer.nextText()).isEqualTo("loaded " + round);
    }
    return round;
  }

  private static String stored(String room, String instance) {
    return dormouse
        .run()
        .redis()
        .sync()
        .hget(RedisKeys.storage(new RoomKey("default", room, instance)), "k");
  }

  private static Set<String> members(String instance) throws IOException {
    Set<String> names = new HashSet<>();
    for (String record :
        dormouse
            .run()
            .redis()
            .sync()
            .hvals(RedisKeys.connections(new RoomKey("default", "chat", instance)))) {
      names.add(JSON.readTree(ConnectionRecord.decode(record).attachment()).get("name").asText());
    }
    return names;
  }

  /** Sends the echo room a numbered message every 50 ms and times each answer. */
  private static final class Pinger {

    final List<Long> latenciesMillis = new CopyOnWriteArrayList<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sent = new AtomicInteger();

    Pinger(WsClient echo) {
      timer.scheduleAtFixedRate(
          () -> {
            String ping = "ping " + sent.incrementAndGet();
            long started = System.nanoTime();
            try {
              echo.send(ping);
              String answer = echo.nextText();
              latenciesMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
              if (!answer.equals(ping)) {
                failures.add("sent " + ping + ", got " + answer);
              }
            } catch (RuntimeException | AssertionError e) {
              failures.add(ping + ": " + e);
            }
          },
          0,
          50,
          TimeUnit.MILLISECONDS);
    }

    void stop() throws InterruptedException {
      timer.shutdown();
      assertThat(timer.awaitTermination(15, TimeUnit.SECONDS)).isTrue();
    }
  }
}
