package dev.dormouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One probe-room instance of a {@link HostedCluster} under client traffic through both gateways, and
 * what its clients saw. Per gateway: a quiet member with an attachment and tags, which only listens
 * until the checks; a talker, sending {@code stamp:} messages at a steady pace without waiting for
 * answers and never reconnecting (so it shows what happens to messages in flight); and one prober for
 * the room, a client as users write them: one message at a time, broadcast to the room, and on a
 * close it connects again, through its gateway or else the other. Every answer names the instance
 * that handled it.
 */
public final class RoomUnderTraffic {

  static final Duration PACE = Duration.ofMillis(50);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration SETTLE = Duration.ofSeconds(70);

  /** Members hear a cut gateway's backlog within seconds of the heal, or never. */
  private static final Duration MEMBERS_SETTLE = Duration.ofSeconds(20);

  private static final Pattern STAMP = Pattern.compile("^stamp:(\\S+)-(\\d+) by (\\S+)$");

  private final HostedCluster cluster;
  private final String path;
  private final Map<String, Member> quiet = new LinkedHashMap<>();
  private final Map<String, Talker> talkers = new LinkedHashMap<>();
  private final Prober prober;
  private volatile boolean stopping;

  /** A stamp as a client got it: when, whose message (sender and number), from which instance. */
  public record Answer(long atNanos, String sender, int message, String instance) {}

  /** A socket and what came on it: stamps, and the rest (a {@code who}'s answer). */
  private static final class Received {
    final WsClient client;
    final List<Answer> stamps = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> other = new LinkedBlockingQueue<>();

    Received(WsClient client) {
      this.client = client;
    }

    /** Reads until the socket is closed and read out, or {@code done} says so. */
    void read(BooleanSupplier done) {
      while (!done.getAsBoolean() && !(client.isClosed() && client.nothingReceived())) {
        String text;
        try {
          text = client.nextText(POLL);
        } catch (AssertionError nothingYet) {
          continue;
        }
        Matcher stamp = STAMP.matcher(text);
        if (stamp.matches()) {
          stamps.add(
              new Answer(
                  System.nanoTime(),
                  stamp.group(1),
                  Integer.parseInt(stamp.group(2)),
                  stamp.group(3)));
        } else {
          other.add(text);
        }
      }
    }

    List<Answer> from(String sender) {
      return stamps.stream().filter(a -> a.sender().equals(sender)).toList();
    }

    void readInBackground(String name, BooleanSupplier done) {
      Thread reader = new Thread(() -> read(done), name + "-reader");
      reader.setDaemon(true);
      reader.start();
    }
  }

  private RoomUnderTraffic(HostedCluster cluster, String instance) {
    this.cluster = cluster;
    this.path = "/rooms/probe/" + instance;
    for (String gateway : HostedCluster.GATEWAYS) {
      quiet.put(
          gateway,
          new Member(
              "q-" + gateway,
              WsClient.connect(cluster.ws(gateway, path + "?name=q-" + gateway + "&tags=calm"))));
      String talker = "t-" + gateway;
      talkers.put(
          gateway,
          new Talker(talker, WsClient.connect(cluster.ws(gateway, path + "?name=" + talker))));
    }
    prober = new Prober();
  }

  /** Connects the clients and starts their traffic; returns once every sender has been answered. */
  public static RoomUnderTraffic start(HostedCluster cluster, String instance) {
    RoomUnderTraffic room = new RoomUnderTraffic(cluster, instance);
    room.quiet.values().forEach(Member::start);
    room.talkers.values().forEach(Talker::start);
    room.prober.thread.start();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                room.talkers.values().stream().noneMatch(t -> t.answers().isEmpty())
                    && !room.prober.answers.isEmpty());
    return room;
  }

  public String path() {
    return path;
  }

  /**
   * Stops sending and waits until every talker has its answers or was closed, and every open member
   * has heard every message the prober was answered.
   */
  public void stop() throws InterruptedException {
    stopping = true;
    prober.thread.join(SETTLE.toMillis());
    for (Talker talker : talkers.values()) {
      assertThat(talker.sending.awaitEnd(Duration.ofSeconds(10))).isTrue();
      await()
          .atMost(SETTLE)
          .until(
              () ->
                  talker.received.client.isClosed()
                      || talker.answers().size() == talker.sent.get());
    }
    for (Member member : quiet.values()) {
      try {
        await()
            .atMost(MEMBERS_SETTLE)
            .until(() -> member.received.client.isClosed() || member.missed().isEmpty());
      } catch (ConditionTimeoutException stillMissing) {
        // assertEveryMessageAnsweredOnceInOrderOrItsSenderTold says what is missing
      }
    }
  }

  /**
   * Each talker's answers are its messages from the first on, once each and in order; a talker that
   * misses some at the end was closed with 1013 (told to connect again). Each open member heard each
   * prober connection's messages once and in order, and every one the prober was answered. Whether a
   * client may be closed at all is {@link #assertOpen}'s.
   */
  public void assertEveryMessageAnsweredOnceInOrderOrItsSenderTold() {
    for (Talker talker : talkers.values()) {
      List<Integer> answered = talker.answers().stream().map(Answer::message).toList();
      assertThat(answered)
          .as("%s of %s: answers once each, in order, from the first on", talker.name, path)
          .isEqualTo(IntStream.range(0, answered.size()).boxed().toList());
      if (answered.size() < talker.sent.get()) {
        assertThat(talker.received.client.isClosed())
            .as("%s missing %d answers was told", talker.name, talker.sent.get() - answered.size())
            .isTrue();
        assertThat(talker.received.client.awaitClose().code()).isEqualTo(1013);
      }
    }
    for (Member member : quiet.values()) {
      if (member.received.client.isClosed()) {
        continue;
      }
      for (String sender : prober.senders()) {
        List<Integer> heard = member.received.from(sender).stream().map(Answer::message).toList();
        assertThat(heard)
            .as("%s heard %s's broadcasts once each, in order", member.name, sender)
            .isSorted()
            .doesNotHaveDuplicates();
      }
      assertThat(member.missed())
          .as("broadcasts the prober was answered that %s, open, never heard", member.name)
          .isEmpty();
    }
  }

  /**
   * No two instances answered at once: the time between the first and the last answer of each
   * instance (as its senders got them, across all of them) overlaps no other's by more than {@code
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

  /** The answers the senders got (not what members heard, which may come late by design). */
  private List<Answer> answers() {
    List<Answer> all = new ArrayList<>(prober.answers);
    talkers.values().forEach(t -> all.addAll(t.answers()));
    all.sort(Comparator.comparingLong(Answer::atNanos));
    return all;
  }

  /** The quiet member of {@code gateway} was not closed. */
  public void assertQuietOpen(String gateway) {
    assertThat(quiet.get(gateway).received.client.isClosed())
        .as("q-%s of %s open", gateway, path)
        .isFalse();
  }

  /** The quiet member of {@code gateway}, and its talker, were not closed. */
  public void assertOpen(String gateway) {
    assertQuietOpen(gateway);
    assertThat(talkers.get(gateway).received.client.isClosed())
        .as("t-%s of %s open", gateway, path)
        .isFalse();
  }

  /** The quiet member of {@code gateway} was closed with {@code code}. */
  public void assertQuietClosed(String gateway, int code, Duration within) {
    assertThat(quiet.get(gateway).received.client.awaitClose(within).code()).isEqualTo(code);
  }

  /**
   * {@code who} from a quiet member that is still open: the room lists every open client with the
   * attachment (its name) and tags it connected with.
   */
  public void assertAttachmentsIntact() throws InterruptedException {
    String who = ask("who");
    assertThat(who).as("who in %s", path).startsWith("who ");
    for (Member member : quiet.values()) {
      if (!member.received.client.isClosed()) {
        assertThat(who).as("who in %s", path).contains(member.name + "[calm]");
      }
    }
    for (Talker talker : talkers.values()) {
      if (!talker.received.client.isClosed()) {
        assertThat(who).as("who in %s", path).contains(talker.name + "[]");
      }
    }
  }

  /** Sends {@code text} from a quiet member that is still open; returns the room's answer. */
  public String ask(String text) throws InterruptedException {
    Member asking =
        quiet.values().stream()
            .filter(m -> !m.received.client.isClosed())
            .findFirst()
            .orElseThrow();
    asking.received.client.send(text);
    String answer = asking.received.other.poll(WsClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(answer).as("%s's answer to %s", path, text).isNotNull();
    return answer;
  }

  /** The longest a user waited for an answer: the prober's longest gap between two answers. */
  public Duration longestPause() {
    return longestGap(prober.answers);
  }

  /**
   * The longest a member of {@code gateway} heard nothing of the prober's broadcasts while they came
   * on (the prober's own longest wait is {@link #longestPause}).
   */
  public Duration longestSilenceOf(String gateway) {
    List<Answer> heard = new ArrayList<>();
    prober.senders().forEach(sender -> heard.addAll(quiet.get(gateway).received.from(sender)));
    heard.sort(Comparator.comparingLong(Answer::atNanos));
    return longestGap(heard);
  }

  private static Duration longestGap(List<Answer> answers) {
    long longest = 0;
    for (int i = 1; i < answers.size(); i++) {
      longest = Math.max(longest, answers.get(i).atNanos() - answers.get(i - 1).atNanos());
    }
    return Duration.ofNanos(longest);
  }

  /** Whether the prober was answered after {@code nanos} (a {@link System#nanoTime} value). */
  public boolean answeredAfter(long nanos) {
    return prober.answers.stream().anyMatch(a -> a.atNanos() > nanos);
  }

  /** The room's clients whose sockets are open now. */
  public int openClients() {
    Received probing = prober.current;
    return (int)
        (quiet.values().stream().filter(m -> !m.received.client.isClosed()).count()
            + talkers.values().stream().filter(t -> !t.received.client.isClosed()).count()
            + (probing != null && !probing.client.isClosed() ? 1 : 0));
  }

  /** What each talker got: answers of sent, and how it was closed if it was. */
  public String talkersSummary() {
    StringBuilder summary = new StringBuilder();
    for (Talker talker : talkers.values()) {
      WsClient client = talker.received.client;
      summary
          .append(talker.name)
          .append(' ')
          .append(talker.answers().size())
          .append('/')
          .append(talker.sent.get())
          .append(client.isClosed() ? " closed " + client.awaitClose().code() : " open")
          .append("; ");
    }
    return summary.toString();
  }

  /** How often the prober had to connect again. */
  public int reconnects() {
    return prober.connections.get() - 1;
  }

  /** Every talker message's time from send to answer, in millis. */
  public List<Long> latenciesMillis() {
    List<Long> all = new ArrayList<>();
    for (Talker talker : talkers.values()) {
      for (Answer answer : talker.answers()) {
        all.add((answer.atNanos() - talker.sentAt.get(answer.message())) / 1_000_000);
      }
    }
    return all;
  }

  /** Listens: it hears the prober's broadcasts. */
  private final class Member {
    final String name;
    final Received received;

    Member(String name, WsClient client) {
      this.name = name;
      this.received = new Received(client);
    }

    void start() {
      received.readInBackground(name, () -> false);
    }

    /** The prober's broadcasts it was answered that this member has not heard. */
    List<String> missed() {
      return prober.answers.stream()
          .filter(
              a ->
                  received.stamps.stream()
                      .noneMatch(h -> h.sender().equals(a.sender()) && h.message() == a.message()))
          .map(a -> a.sender() + "-" + a.message())
          .toList();
    }
  }

  private final class Talker {
    final String name;
    final Received received;
    final List<Long> sentAt = new CopyOnWriteArrayList<>();
    final AtomicInteger sent = new AtomicInteger();
    PacedLoop sending;

    Talker(String name, WsClient client) {
      this.name = name;
      this.received = new Received(client);
    }

    List<Answer> answers() {
      return received.from(name);
    }

    void start() {
      WsClient client = received.client;
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
      received.readInBackground(name, () -> stopping && answers().size() == sent.get());
    }
  }

  /**
   * One broadcast at a time; connects again when closed, through the gateway it used last first.
   * Each connection sends as a sender of its own ({@code p1}, {@code p2}, …): order holds per
   * connection, not across them.
   */
  private final class Prober {
    final List<Answer> answers = new CopyOnWriteArrayList<>();
    final AtomicInteger connections = new AtomicInteger();
    final Thread thread = new Thread(this::run, "prober");
    volatile Received current;

    Prober() {
      thread.setDaemon(true);
    }

    List<String> senders() {
      return IntStream.rangeClosed(1, connections.get()).mapToObj(c -> "p" + c).toList();
    }

    void run() {
      int gateway = 0;
      int n = 0;
      while (!stopping) {
        if (current == null || current.client.isClosed()) {
          current = connect(HostedCluster.GATEWAYS.get(gateway));
          if (current == null) {
            gateway = (gateway + 1) % HostedCluster.GATEWAYS.size();
            pause();
            continue;
          }
          n = 0;
        }
        Received on = current;
        String sender = "p" + connections.get();
        int message = n++;
        try {
          on.client.send("stamp-all:" + sender + "-" + message);
        } catch (RuntimeException closedUnderTheSend) {
          continue;
        }
        on.read(() -> stopping || !on.from(sender).isEmpty() && last(on, sender) >= message);
        on.from(sender).stream()
            .filter(a -> a.message() == message)
            .findFirst()
            .ifPresent(
                answer -> {
                  answers.add(answer);
                  pause();
                });
      }
    }

    private int last(Received on, String sender) {
      List<Answer> got = on.from(sender);
      return got.get(got.size() - 1).message();
    }

    /** A client of {@code gateway}, or null if it refused or did not answer in time. */
    Received connect(String gateway) {
      try {
        Received connected =
            new Received(
                WsClient.connect(
                    cluster.ws(gateway, path + "?name=p" + (connections.get() + 1)),
                    Duration.ofSeconds(2)));
        connections.incrementAndGet();
        return connected;
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
