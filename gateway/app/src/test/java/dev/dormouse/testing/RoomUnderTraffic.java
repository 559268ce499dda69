package dev.dormouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * One probe-room instance of a {@link HostedCluster} under client traffic through both gateways, and
 * what its clients saw. Per gateway: a quiet client with an attachment and tags, which sends nothing
 * until the checks; a talker, sending {@code stamp:} messages at a steady pace without waiting for
 * answers and never reconnecting (so it shows what happens to messages in flight); and one prober for
 * the room, a client as users write them: one message at a time, and on a close it connects again,
 * through its gateway or else the other. Every answer names the instance that handled it.
 */
public final class RoomUnderTraffic {

  static final Duration PACE = Duration.ofMillis(50);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Pattern STAMP = Pattern.compile("^stamp:(\\S+)-(\\d+) by (\\S+)$");

  private final HostedCluster cluster;
  private final String path;
  private final Map<String, WsClient> quiet = new LinkedHashMap<>();
  private final Map<String, Talker> talkers = new LinkedHashMap<>();
  private final Prober prober;
  private volatile boolean stopping;

  /** An answer as a client got it: when, to which of its messages, from which instance. */
  public record Answer(long atNanos, int message, String instance) {}

  private RoomUnderTraffic(HostedCluster cluster, String instance) {
    this.cluster = cluster;
    this.path = "/rooms/probe/" + instance;
    for (String gateway : HostedCluster.GATEWAYS) {
      WsClient client =
          WsClient.connect(cluster.ws(gateway, path + "?name=q-" + gateway + "&tags=calm"));
      quiet.put(gateway, client);
      talkers.put(gateway, new Talker("t-" + gateway, client(gateway, "t-" + gateway)));
    }
    prober = new Prober();
  }

  /** Connects the clients and starts their traffic; returns once every sender has been answered. */
  public static RoomUnderTraffic start(HostedCluster cluster, String instance) {
    RoomUnderTraffic room = new RoomUnderTraffic(cluster, instance);
    room.talkers.values().forEach(Talker::start);
    room.prober.thread.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                room.talkers.values().stream().noneMatch(t -> t.answers.isEmpty())
                    && !room.prober.answers.isEmpty());
    return room;
  }

  private WsClient client(String gateway, String name) {
    return WsClient.connect(cluster.ws(gateway, path + "?name=" + name));
  }

  public String path() {
    return path;
  }

  /** Stops sending and waits until every talker has its answers or was closed. */
  public void stop() throws InterruptedException {
    stopping = true;
    prober.thread.join(Duration.ofSeconds(70).toMillis());
    for (Talker talker : talkers.values()) {
      assertThat(talker.sending.awaitEnd(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(Duration.ofSeconds(70))
          .until(() -> talker.client.isClosed() || talker.answers.size() == talker.sent.get());
    }
  }

  /**
   * Each talker's answers are its messages from the first on, once each and in order; a talker that
   * misses some at the end was closed with 1013 (told to connect again). Whether it may be closed at
   * all is {@link #assertOpen}'s.
   */
  public void assertEveryMessageAnsweredOnceInOrderOrItsSenderTold() {
    for (Talker talker : talkers.values()) {
      List<Integer> answered = talker.answers.stream().map(Answer::message).toList();
      assertThat(answered)
          .as("%s of %s: answers once each, in order, from the first on", talker.name, path)
          .isEqualTo(IntStream.range(0, answered.size()).boxed().toList());
      if (answered.size() < talker.sent.get()) {
        assertThat(talker.client.isClosed())
            .as("%s missing %d answers was told", talker.name, talker.sent.get() - answered.size())
            .isTrue();
        assertThat(talker.client.awaitClose().code()).isEqualTo(1013);
      }
    }
  }

  /**
   * No two instances answered at once: the time between the first and the last answer of each
   * instance (as the clients got them, across all of them) overlaps no other's by more than {@code
   * slack} (answers in flight as the key moves).
   */
  public void assertOneLiveInstanceAtATime(Duration slack) {
    Map<String, long[]> spans = new LinkedHashMap<>();
    for (Answer answer : answers()) {
      spans.merge(
          answer.instance(),
          new long[] {answer.atNanos(), answer.atNanos()},
          (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    }
    List<Map.Entry<String, long[]>> list = new ArrayList<>(spans.entrySet());
    for (int i = 0; i < list.size(); i++) {
      for (int j = i + 1; j < list.size(); j++) {
        long[] a = list.get(i).getValue();
        long[] b = list.get(j).getValue();
        long overlap = Math.min(a[1], b[1]) - Math.max(a[0], b[0]);
        assertThat(Duration.ofNanos(Math.max(0, overlap)))
            .as(
                "instances %s and %s of %s both answered",
                list.get(i).getKey(), list.get(j).getKey(), path)
            .isLessThanOrEqualTo(slack);
      }
    }
  }

  /** How many instances answered, in the order they first did. */
  public List<String> instances() {
    return answers().stream().map(Answer::instance).distinct().toList();
  }

  private List<Answer> answers() {
    List<Answer> all = new ArrayList<>(prober.answers);
    talkers.values().forEach(t -> all.addAll(t.answers));
    all.sort(Comparator.comparingLong(Answer::atNanos));
    return all;
  }

  /** The quiet client of {@code gateway} was not closed. */
  public void assertQuietOpen(String gateway) {
    assertThat(quiet.get(gateway).isClosed()).as("q-%s of %s open", gateway, path).isFalse();
  }

  /** The quiet client of {@code gateway}, and its talker, were not closed. */
  public void assertOpen(String gateway) {
    assertQuietOpen(gateway);
    assertThat(talkers.get(gateway).client.isClosed())
        .as("t-%s of %s open", gateway, path)
        .isFalse();
  }

  /** The quiet client of {@code gateway} was closed with {@code code}. */
  public void assertQuietClosed(String gateway, int code, Duration within) {
    assertThat(quiet.get(gateway).awaitClose(within).code()).isEqualTo(code);
  }

  /**
   * {@code who} from a quiet client that is still open: the room lists every open client with the
   * attachment (its name) and tags it connected with.
   */
  public void assertAttachmentsIntact() {
    WsClient asking = quiet.values().stream().filter(c -> !c.isClosed()).findFirst().orElseThrow();
    asking.send("who");
    String who = asking.nextText();
    for (Map.Entry<String, WsClient> client : quiet.entrySet()) {
      if (!client.getValue().isClosed()) {
        assertThat(who).as("who in %s", path).contains("q-" + client.getKey() + "[calm]");
      }
    }
    for (Talker talker : talkers.values()) {
      if (!talker.client.isClosed()) {
        assertThat(who).as("who in %s", path).contains(talker.name + "[]");
      }
    }
  }

  /** The longest a user waited for an answer: the prober's longest gap between two answers. */
  public Duration longestPause() {
    long longest = 0;
    for (int i = 1; i < prober.answers.size(); i++) {
      longest =
          Math.max(longest, prober.answers.get(i).atNanos() - prober.answers.get(i - 1).atNanos());
    }
    return Duration.ofNanos(longest);
  }

  /** Whether the prober was answered after {@code nanos} (a {@link System#nanoTime} value). */
  public boolean answeredAfter(long nanos) {
    return prober.answers.stream().anyMatch(a -> a.atNanos() > nanos);
  }

  /** The room's clients whose sockets are open now. */
  public int openClients() {
    WsClient probing = prober.current;
    return (int)
        (quiet.values().stream().filter(c -> !c.isClosed()).count()
            + talkers.values().stream().filter(t -> !t.client.isClosed()).count()
            + (probing != null && !probing.isClosed() ? 1 : 0));
  }

  /** What each talker got: answers of sent, and how it was closed if it was. */
  public String talkersSummary() {
    StringBuilder summary = new StringBuilder();
    for (Talker talker : talkers.values()) {
      summary
          .append(talker.name)
          .append(' ')
          .append(talker.answers.size())
          .append('/')
          .append(talker.sent.get())
          .append(
              talker.client.isClosed() ? " closed " + talker.client.awaitClose().code() : " open")
          .append("; ");
    }
    return summary.toString();
  }

  /** How often the prober had to connect again. */
  public int reconnects() {
    return prober.reconnects.get();
  }

  /** Every talker message's time from send to answer, in millis. */
  public List<Long> latenciesMillis() {
    List<Long> all = new ArrayList<>();
    for (Talker talker : talkers.values()) {
      for (Answer answer : talker.answers) {
        all.add((answer.atNanos() - talker.sentAt.get(answer.message())) / 1_000_000);
      }
    }
    return all;
  }

  /** Parses a stamp answer; {@code null} for anything else (a {@code who} broadcast). */
  private static Answer answer(String text, long at) {
    Matcher stamp = STAMP.matcher(text);
    return stamp.matches()
        ? new Answer(at, Integer.parseInt(stamp.group(2)), stamp.group(3))
        : null;
  }

  /** Reads {@code client} until it is closed and read out, or {@code done} says so. */
  private static void read(
      WsClient client, List<Answer> into, java.util.function.BooleanSupplier done) {
    while (!done.getAsBoolean() && !(client.isClosed() && client.nothingReceived())) {
      try {
        Answer answer = answer(client.nextText(POLL), System.nanoTime());
        if (answer != null) {
          into.add(answer);
        }
      } catch (AssertionError nothingYet) {
        // poll again
      }
    }
  }

  private final class Talker {
    final String name;
    final WsClient client;
    final List<Answer> answers = new CopyOnWriteArrayList<>();
    final List<Long> sentAt = new CopyOnWriteArrayList<>();
    final AtomicInteger sent = new AtomicInteger();
    PacedLoop sending;

    Talker(String name, WsClient client) {
      this.name = name;
      this.client = client;
    }

    void start() {
      sending =
          PacedLoop.start(
              name,
              PACE,
              n -> {
                if (stopping || client.isClosed()) {
                  return false;
                }
                sentAt.add(System.nanoTime());
                try {
                  client.send("stamp:" + name + "-" + n);
                } catch (RuntimeException closedUnderTheSend) {
                  sentAt.remove(sentAt.size() - 1);
                  return false;
                }
                sent.incrementAndGet();
                return true;
              });
      Thread reader =
          new Thread(
              () -> read(client, answers, () -> stopping && answers.size() == sent.get()),
              name + "-reader");
      reader.setDaemon(true);
      reader.start();
    }
  }

  /** One message at a time; connects again when closed, through its gateway first. */
  private final class Prober {
    final List<Answer> answers = new CopyOnWriteArrayList<>();
    final AtomicInteger reconnects = new AtomicInteger();
    final Thread thread = new Thread(this::run, "prober");
    volatile WsClient current;

    Prober() {
      thread.setDaemon(true);
    }

    void run() {
      WsClient client = null;
      int gateway = 0;
      for (int n = 0; !stopping; ) {
        if (client == null || client.isClosed()) {
          if (client != null) {
            reconnects.incrementAndGet();
          }
          client = connect(HostedCluster.GATEWAYS.get(gateway));
          current = client;
          if (client == null) {
            gateway = (gateway + 1) % HostedCluster.GATEWAYS.size();
            pause();
            continue;
          }
        }
        try {
          client.send("stamp:p-" + n);
        } catch (RuntimeException closedUnderTheSend) {
          continue;
        }
        List<Answer> got = new ArrayList<>();
        read(client, got, () -> !got.isEmpty() || stopping);
        if (!got.isEmpty()) {
          answers.add(got.get(0));
          n++;
          pause();
        }
      }
    }

    /** A client of {@code gateway}, or null if it refused or did not answer. */
    WsClient connect(String gateway) {
      try {
        return WsClient.connect(cluster.ws(gateway, path + "?name=p"), Duration.ofSeconds(2));
      } catch (RuntimeException refused) {
        return null;
      }
    }

    void pause() {
      try {
        Thread.sleep(PACE.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping = true;
      }
    }
  }
}
