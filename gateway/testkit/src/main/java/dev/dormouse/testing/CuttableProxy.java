package dev.dormouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback in front of one process's Redis (or an owner's link port), whose network the
 * test can cut. A cut is
 * what {@code iptables -j DROP} does to both directions: nothing gets through, yet no side sees a
 * reset, so clients hang until their own timeouts; bytes sent meanwhile arrive after {@link #heal},
 * as TCP's retransmissions would. Connections opened during a cut reach Redis after the heal.
 */
public final class CuttableProxy implements AutoCloseable {

  private static final int BUFFER = 16 * 1024;

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final ExecutorService threads = Executors.newCachedThreadPool(DaemonThreads.named("cut"));
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Object gate = new Object();
  private boolean cut;

  private CuttableProxy(ServerSocket server, InetSocketAddress target) {
    this.server = server;
    this.target = target;
  }

  /** A proxy to {@code targetPort} on loopback, accepting at once. */
  public static CuttableProxy to(int targetPort) throws IOException {
    CuttableProxy proxy =
        new CuttableProxy(
            new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
            new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
    proxy.threads.execute(proxy::accept);
    return proxy;
  }

  /** Where the proxy accepts, on loopback: for a link or any other TCP connection. */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  /** The Redis URL that goes through this proxy. */
  public String redisUrl() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /** From now on nothing passes, in either direction, on any connection old or new. */
  public void cut() {
    synchronized (gate) {
      cut = true;
    }
  }

  /** Everything held back passes, and what follows. */
  public void heal() {
    synchronized (gate) {
      cut = false;
      gate.notifyAll();
    }
  }

  /**
   * Closes every connection through the proxy, as a reset would: the clients see them drop and
   * connect again (held until {@link #heal} while cut).
   */
  public void reset() {
    sockets.forEach(CuttableProxy::closeQuietly);
    sockets.clear();
  }

  private void awaitHealed() throws InterruptedException {
    synchronized (gate) {
      while (cut) {
        gate.wait();
      }
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        threads.execute(() -> connect(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void connect(Socket client) {
    try {
      awaitHealed();
      Socket upstream = new Socket();
      sockets.add(upstream);
      upstream.connect(target);
      threads.execute(() -> relay(client, upstream));
      relay(upstream, client);
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
    }
  }

  private void relay(Socket from, Socket to) {
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        awaitHealed();
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // one side went away: the other goes too, as a TCP proxy's would
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Closes {@code socket}, which may be closed already (also {@link DelayRelay}'s). */
  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    sockets.forEach(CuttableProxy::closeQuietly);
    threads.shutdownNow();
  }
}
