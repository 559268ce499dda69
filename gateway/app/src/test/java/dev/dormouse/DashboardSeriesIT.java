package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.PrometheusText;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The series the Grafana dashboard reads that count what a user sees: closes by code, instances
 * hibernated, lease losses, read from the admin port's /metrics as Prometheus scrapes it.
 */
class DashboardSeriesIT {

  static final Duration WAIT = Duration.ofSeconds(15);

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room(
                "small",
                "dev.dormouse.testing.ProbeRoom",
                """
            instances: true
            limits:
              maxMessageBytes: 1024
            hibernation:
              idleTimeout: 30s
            """),
            LocalRunFixture.room(
                "nap",
                "dev.dormouse.testing.ProbeRoom",
                """
            instances: true
            hibernation:
              idleTimeout: 1500ms
            """));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  static String scrape() {
    return LocalRunFixture.get(dormouse.admin("/metrics")).body();
  }

  /** The value of one series, {@code name{label="value"}}; empty when it is not exported. */
  static OptionalDouble series(String name, String label, String value) {
    Matcher matcher =
        Pattern.compile(
                "(?m)^"
                    + Pattern.quote(name)
                    + "\\{(?:[^}]*,)?"
                    + Pattern.quote(label + "=\"" + value + "\"")
                    + "[^}]*\\} ([0-9.eE+-]+)$")
            .matcher(scrape());
    return matcher.find()
        ? OptionalDouble.of(Double.parseDouble(matcher.group(1)))
        : OptionalDouble.empty();
  }

  static double closes(int code) {
    return series("dormouse_gateway_closes_total", "code", Integer.toString(code)).orElse(0);
  }

  static double gauge(String name) {
    return PrometheusText.sum(scrape(), name);
  }

  @Test
  void theWatchedClosesAndLeaseLossesAreExportedBeforeTheFirstOne() {
    for (int code : List.of(1001, 1008, 1009, 1011, 1013)) {
      assertThat(series("dormouse_gateway_closes_total", "code", Integer.toString(code)))
          .as("closes with %d", code)
          .isPresent();
    }
    assertThat(series("dormouse_errors_total", "kind", "lease-lost")).isPresent();
    assertThat(scrape()).containsPattern("(?m)^dormouse_instances_hibernated ");
  }

  @Test
  void anOversizedMessageCountsOne1009Close() {
    double before = closes(1009);
    WsClient big = WsClient.connect(dormouse.ws("/rooms/small/size"));
    big.send("x".repeat(2000));
    assertThat(big.awaitClose().code()).isEqualTo(1009);
    await().atMost(WAIT).until(() -> closes(1009) == before + 1);
  }

  @Test
  void aRoomsCloseIsCountedUnderItsCodeAsTheGatewayRelaysIt() {
    double before = closes(1000);
    WsClient client = WsClient.connect(dormouse.ws("/rooms/small/room-close"));
    client.send("count:1:1");
    assertThat(client.nextText()).isEqualTo("0:z");
    assertThat(client.awaitClose().code()).isEqualTo(1000);
    await().atMost(WAIT).until(() -> closes(1000) == before + 1);
  }

  @Test
  void aClientsOwnCloseIsNotCountedAsTheGateways() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/small/own-close"));
    client.send("hello");
    assertThat(client.nextText()).isEqualTo("echo:hello");
    double before = closes(1001);

    client.close(1001, "leaving");

    assertThat(client.awaitClose().code()).as("the gateway's answer").isEqualTo(1001);
    assertThat(closes(1001)).isEqualTo(before);
  }

  @Test
  void anInstanceEvictedWithItsSocketOpenIsHibernatedUntilItsNextMessage() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/nap/one"));
    client.send("hello");
    assertThat(client.nextText()).isEqualTo("echo:hello");

    await().atMost(WAIT).until(() -> gauge("dormouse_instances_hibernated") == 1);

    client.send("again");
    assertThat(client.nextText()).as("revived").isEqualTo("echo:again");
    assertThat(gauge("dormouse_instances_hibernated")).isZero();

    double evictions = gauge("dormouse_evictions_total");
    client.close(1000, "done");
    client.awaitClose();
    await().atMost(WAIT).until(() -> gauge("dormouse_evictions_total") > evictions);
    assertThat(gauge("dormouse_instances_hibernated"))
        .as("evicted with no socket open: nobody is waiting on it")
        .isZero();
  }

  @Test
  void aHibernatedInstanceWhoseLastSocketClosesIsNoLongerCounted() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/nap/two"));
    client.send("hello");
    assertThat(client.nextText()).isEqualTo("echo:hello");
    await().atMost(WAIT).until(() -> gauge("dormouse_instances_hibernated") >= 1);
    double hibernated = gauge("dormouse_instances_hibernated");

    client.close(1000, "done");
    client.awaitClose();

    await().atMost(WAIT).until(() -> gauge("dormouse_instances_hibernated") == hibernated - 1);
  }
}
