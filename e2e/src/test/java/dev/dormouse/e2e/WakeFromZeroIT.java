package dev.dormouse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.crd.v1alpha1.RoomPhase;
import dev.dormouse.e2e.cluster.DormouseCluster;
import dev.dormouse.e2e.cluster.PodRunner;
import dev.dormouse.e2e.cluster.ProcessLogs;
import dev.dormouse.e2e.cluster.Workload;
import dev.dormouse.testing.RoomManifest;
import dev.dormouse.testing.WsClient;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Waking a room from zero owner pods, end to end, split into its steps (issue 15; docs/benchmarks.md,
 * "Issue 15: waking from zero"). Not part of the normal {@code verify} (about a minute): run it with
 * {@code mvn -B -o -pl e2e verify -Dit.test=WakeFromZeroIT} ({@code -Ddormouse.wakes=N}, default 5).
 *
 * <p>Each of N rooms is woken once by its client's connect and left to idle to zero owner pods, the
 * socket open; then each client in turn sends one message, which wakes its room on a new pod. The
 * steps are read from what the parts log (the gateway's wake request, the operator's {@code Woken},
 * the owner's link opening and first event, the gateway's link) and from the pod runner, all on
 * this machine's clock; they follow one another, so they add up to the client's wait. The gateway
 * links to the pod once it runs with an IP, so the pod's Ready (the kubelet's probe) is off that
 * path: it is reported beside the steps, as is the owner's own start to Ready.
 */
@ExtendWith(ProcessLogs.class)
class WakeFromZeroIT {

  static final Duration WAIT = Duration.ofSeconds(60);
  static final int WAKES = Integer.getInteger("dormouse.wakes", 5);

  /** Log lines of every process start with their local time (simplelogger's dateTimeFormat). */
  static final Pattern STAMP =
      Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");

  /** A little slack for times logged to the millisecond by different processes. */
  static final long CLOCK_SLACK_MS = 2;

  static final List<String> STEPS =
      List.of(
          "gateway asks for the wake",
          "operator notices (reconcile, LIST, Redis)",
          "pod created, watched by the kubelet",
          "process exec'd",
          "exec to the owner's link open",
          "gateway links to the owner",
          "first event at the owner",
          "handled, reply at the client");

  static DormouseCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = DormouseCluster.start(1);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aMessageToARoomAtZeroOwnersIsAnsweredAndItsWaitSplitsIntoItsSteps() throws Exception {
    DormouseCluster.Gateway gateway = cluster.gateway(0);
    List<String> rooms = IntStream.range(0, WAKES).mapToObj(i -> "wake-" + i).toList();
    List<WsClient> clients = new ArrayList<>();
    for (String room : rooms) {
      cluster.apply(
          RoomManifest.of(
              room,
              "example",
              """
          hibernation:
            idleTimeout: 1s
            scaleToZeroAfter: 10s
          owners:
            minReplicas: 0
          """));
    }
    for (String room : rooms) {
      cluster.awaitStatus(room, WAIT, s -> s.getPhase() == RoomPhase.Hibernated);
      cluster.awaitServed(gateway, "/rooms/" + room);
      WsClient client = WsClient.connect(gateway.ws("/rooms/" + room), WAIT);
      client.send("hello");
      String reply = client.nextText(WAIT);
      assertThat(reply).startsWith("[Durable Object] message: hello");
      assertThat(client.nextText(WAIT)).isEqualTo(reply); // the seed answers twice
      clients.add(client);
    }
    for (String room : rooms) {
      await().atMost(WAIT).until(() -> cluster.ownerPods(room).isEmpty());
      await().atMost(WAIT).until(() -> cluster.pods().running(room).isEmpty());
    }

    Map<String, long[]> splits = new LinkedHashMap<>();
    List<Long> ownStarts = new ArrayList<>();
    List<Long> podReadyAfterReply = new ArrayList<>();
    for (int i = 0; i < WAKES; i++) {
      String room = rooms.get(i);
      WsClient client = clients.get(i);
      Instant sent = Instant.now();
      client.send("wake");
      assertThat(client.nextText(WAIT)).startsWith("[Durable Object] message: wake");
      Instant replied = Instant.now();
      List<Pod> pods = cluster.ownerPods(room);
      assertThat(pods).hasSize(1);
      String pod = pods.get(0).getMetadata().getName();
      PodRunner.Timeline timeline =
          await()
              .atMost(WAIT)
              .until(() -> cluster.pods().timeline(pod).orElse(null), t -> t != null);
      Workload owner = cluster.pods().pod(pod).orElseThrow().process();
      Matcher ready =
          line(owner, Pattern.compile("owner " + Pattern.quote(pod) + " ready (\\d+) ms after"));
      ownStarts.add(Long.parseLong(ready.group(2)));
      podReadyAfterReply.add(timeline.ready().toEpochMilli() - replied.toEpochMilli());
      List<Instant> at =
          List.of(
              sent,
              after(
                  gateway.process(), "asked the operator to wake room default/" + room + " ", sent),
              after(cluster.operator(), "default/" + room + ": creating ", sent),
              timeline.seen(),
              timeline.started(),
              stamp(line(owner, Pattern.compile("owner link listening on"))),
              after(gateway.process(), "linked to owner " + pod + " ", sent),
              stamp(line(owner, Pattern.compile("owner " + Pattern.quote(pod) + " got its first"))),
              replied);
      long[] split = new long[STEPS.size() + 1];
      for (int s = 0; s < STEPS.size(); s++) {
        split[s] = at.get(s + 1).toEpochMilli() - at.get(s).toEpochMilli();
        assertThat(split[s])
            .as("%s of %s: %s follows the step before", STEPS.get(s), room, at.get(s + 1))
            .isGreaterThanOrEqualTo(-CLOCK_SLACK_MS);
      }
      split[STEPS.size()] = replied.toEpochMilli() - sent.toEpochMilli();
      assertThat(Arrays.stream(split, 0, STEPS.size()).sum()).isEqualTo(split[STEPS.size()]);
      splits.put(room + " (" + pod + ")", split);
    }
    clients.forEach(c -> c.close(1000, "done"));
    System.out.println(report(splits, ownStarts, podReadyAfterReply));
  }

  static String report(
      Map<String, long[]> splits, List<Long> ownStarts, List<Long> podReadyAfterReply) {
    StringBuilder out = new StringBuilder("\nWake from zero owners, ms (median / max of ");
    out.append(splits.size()).append(" wakes):\n");
    List<String> names = new ArrayList<>(STEPS);
    names.add("total: message to reply");
    for (int s = 0; s < names.size(); s++) {
      int step = s;
      long[] values = splits.values().stream().mapToLong(split -> split[step]).sorted().toArray();
      out.append(String.format("  %-36s %6d %6d%n", names.get(s), median(values), max(values)));
    }
    long[] own = ownStarts.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] over =
        IntStream.range(0, own.length)
            .mapToLong(
                i -> new ArrayList<>(splits.values()).get(i)[STEPS.size()] - ownStarts.get(i))
            .sorted()
            .toArray();
    out.append(
        String.format("  %-36s %6d %6d%n", "owner's own start (its log)", median(own), max(own)));
    out.append(
        String.format(
            "  %-36s %6d %6d%n", "total minus own start (target 500)", median(over), max(over)));
    long[] podReady = podReadyAfterReply.stream().mapToLong(Long::longValue).sorted().toArray();
    out.append(
        String.format(
            "  %-36s %6d %6d%n",
            "pod Ready after the reply (off path)", median(podReady), max(podReady)));
    splits.forEach(
        (room, split) ->
            out.append("  ").append(room).append(' ').append(Arrays.toString(split)).append('\n'));
    return out.toString();
  }

  static long median(long[] sorted) {
    return sorted[sorted.length / 2];
  }

  static long max(long[] sorted) {
    return sorted[sorted.length - 1];
  }

  /** The process's first line matching {@code pattern} (it has logged it: the reply came after). */
  static Matcher line(Workload process, Pattern pattern) {
    for (String line : process.output().split("\n")) {
      Matcher matcher = Pattern.compile(STAMP.pattern() + ".*" + pattern.pattern()).matcher(line);
      if (matcher.find()) {
        return matcher;
      }
    }
    throw new AssertionError("no line matching " + pattern + " in " + process.name());
  }

  static Instant stamp(Matcher line) {
    return LocalDateTime.parse(line.group(1)).atZone(ZoneId.systemDefault()).toInstant();
  }

  /** The time of the first line containing {@code text} logged at or after {@code from}. */
  static Instant after(Workload process, String text, Instant from) {
    for (String line : process.output().split("\n")) {
      Matcher matcher = STAMP.matcher(line);
      if (line.contains(text) && matcher.find()) {
        Instant at = stamp(matcher);
        if (!at.isBefore(from.minusMillis(CLOCK_SLACK_MS))) {
          return at;
        }
      }
    }
    throw new AssertionError("no line with '" + text + "' after " + from + " in " + process.name());
  }
}
