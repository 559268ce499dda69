package dev.dormouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay that holds every chunk for a fixed time in each direction, run by {@link NetworkHosts}
 * as a process inside a host's namespace (this kernel has no netem qdisc to delay packets). Args:
 * {@code LISTEN_PORT TARGET_PORT DELAY_MILLIS}; it accepts on every address and relays to {@code
 * TARGET_PORT} on loopback, and prints {@code relaying} once it accepts. Only the JDK: it runs from
 * the testkit's classes alone (it uses no class that needs a library).
 */
public final class DelayRelay {

  private static final int BUFFER = 16 * 1024;
  private static final byte[] END = new byte[0];

  private final long delayNanos;
  private final int targetPort;

  private DelayRelay(long delayNanos, int targetPort) {
    this.delayNanos = delayNanos;
    this.targetPort = targetPort;
  }

  public static void main(String[] args) throws IOException {
    int listenPort = Integer.parseInt(args[0]);
    DelayRelay relay =
        new DelayRelay(Long.parseLong(args[2]) * 1_000_000, Integer.parseInt(args[1]));
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(listenPort), 128);
      System.out.println("relaying");
      System.out.flush();
      while (true) {
        Socket client = server.accept();
        start(() -> relay.connect(client));
      }
    }
  }

  private static void start(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    thread.start();
  }

  private void connect(Socket client) {
    try {
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      AtomicInteger open = new AtomicInteger(2);
      start(() -> pipe(client, upstream, open));
      pipe(upstream, client, open);
    } catch (IOException e) {
      CuttableProxy.closeQuietly(client);
    }
  }

  /** A chunk and when it may be passed on. */
  private record Held(long dueNanos, byte[] bytes) {}

  /**
   * Reads {@code from} on this thread and writes each chunk to {@code to} once it is due; the last of
   * the connection's two directions to end ({@code open} counts them) closes both sockets.
   */
  private void pipe(Socket from, Socket to, AtomicInteger open) {
    BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    start(() -> deliver(held, from, to, open));
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = from.getInputStream()) {
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        held.add(new Held(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, read)));
      }
    } catch (IOException e) {
      // the socket went away: what was read still goes, then the end
    }
    held.add(new Held(System.nanoTime() + delayNanos, END));
  }

  private static void deliver(
      BlockingQueue<Held> held, Socket from, Socket to, AtomicInteger open) {
    try {
      OutputStream out = to.getOutputStream();
      for (Held next = held.take(); next.bytes() != END; next = held.take()) {
        long wait = next.dueNanos() - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        out.write(next.bytes());
        out.flush();
      }
      to.shutdownOutput();
      if (open.decrementAndGet() > 0) {
        return;
      }
    } catch (IOException | InterruptedException e) {
      // a socket failed: the whole connection goes, as through a TCP proxy
    }
    CuttableProxy.closeQuietly(from);
    CuttableProxy.closeQuietly(to);
  }
}
