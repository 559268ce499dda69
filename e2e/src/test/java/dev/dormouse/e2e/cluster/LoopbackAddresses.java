package dev.dormouse.e2e.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pod IPs on loopback: a block {@code 127.B.B.10} and up, picked at random, since every pod listens
 * on the same ports of its own address and two builds on one machine must not share a block.
 */
final class LoopbackAddresses {

  private final int block = ThreadLocalRandom.current().nextInt(1 << 8, 255 << 8);
  private final AtomicInteger nextHost = new AtomicInteger(10);

  /** The next address of the block whose {@code ports} no other process holds; never one used before. */
  String next(int... ports) throws IOException {
    for (int host = nextHost.getAndIncrement(); host < 255; host = nextHost.getAndIncrement()) {
      String ip = "127." + (block >> 8) + "." + (block & 0xff) + "." + host;
      if (free(ip, ports)) {
        return ip;
      }
    }
    throw new IOException(
        "no free loopback address left in 127." + (block >> 8) + "." + (block & 0xff) + ".0/24");
  }

  private static boolean free(String ip, int... ports) {
    for (int port : ports) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(ip, port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
