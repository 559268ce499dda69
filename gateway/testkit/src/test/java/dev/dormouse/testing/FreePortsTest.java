package dev.dormouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  private static int ephemeralLow() throws IOException {
    return Integer.parseInt(
        Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
            .get(0)
            .trim()
            .split("\\s+")[0]);
  }

  @Test
  void portsAreBindableDistinctAndOutsideTheEphemeralRange() throws IOException {
    int ephemeralLow = ephemeralLow();
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      int port = FreePorts.any();
      assertThat(port).isLessThan(ephemeralLow);
      try (ServerSocket socket = new ServerSocket()) {
        socket.bind(new InetSocketAddress(port));
      }
      ports.add(port);
    }
    assertThat(ports).hasSize(20);
  }

  @Test
  void aPortSomeoneListensOnIsNotGiven() throws IOException {
    int taken = FreePorts.any();
    try (ServerSocket listener = new ServerSocket()) {
      listener.bind(new InetSocketAddress(taken));
      for (int i = 0; i < 200; i++) {
        assertThat(FreePorts.any()).isNotEqualTo(taken);
      }
    }
  }

  @Test
  void aClusterNodesBusPortIsFreeAndBelowTheEphemeralRangeToo() throws IOException {
    int port = FreePorts.clusterNode();
    assertThat(port + 10_000).isLessThan(ephemeralLow());
    try (ServerSocket bus = new ServerSocket()) {
      bus.bind(new InetSocketAddress(port + 10_000));
    }
  }
}
