package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.OwnerEndpoint;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.FreePorts;
import dev.dormouse.testing.ManagedProcess;
import dev.dormouse.testing.WsClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An owner process says how long it took from its JVM's start to Ready and to its first event: what
 * a client waits for when its room wakes from zero owners (docs/kubernetes.md, "Owner start time").
 */
class OwnerStartTimeIT {

  ClusterFixture cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.startWithProbeRoomInProcesses();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void anOwnerLogsItsTimeToReadyAndToItsFirstEvent() throws Exception {
    long launched = System.nanoTime();
    int port = FreePorts.any();
    ManagedProcess owner = cluster.ownerProcess("o1", port);
    Matcher ready =
        owner.awaitLine(
            Pattern.compile("owner o1 ready (\\d+) ms after its JVM started$"),
            Duration.ofSeconds(10));
    long readyMillis = Long.parseLong(ready.group(1));
    assertThat(readyMillis)
        .as("from JVM start, so no more than since this test launched the process")
        .isPositive()
        .isLessThanOrEqualTo(Duration.ofNanos(System.nanoTime() - launched).toMillis());

    GatewayNode gateway =
        cluster.gateway(
            "gw",
            new StaticOwnerDirectory(
                List.of(new OwnerEndpoint("o1", new InetSocketAddress("127.0.0.1", port)))),
            new Metrics(),
            Duration.ofSeconds(20));
    WsClient client = WsClient.connect(ClusterFixture.ws(gateway.address(), "/rooms/probe/k"));
    client.send("m0");
    assertThat(client.nextText()).isEqualTo("echo:m0");
    Matcher first =
        owner.awaitLine(
            Pattern.compile("owner o1 got its first event (\\d+) ms after its JVM started$"),
            Duration.ofSeconds(10));
    assertThat(Long.parseLong(first.group(1))).isGreaterThanOrEqualTo(readyMillis);
    client.send("m1");
    assertThat(client.nextText()).isEqualTo("echo:m1");
    assertThat(owner.output()).containsOnlyOnce("got its first event");
    client.close(1000, "done");
  }
}
