package dev.dormouse.testing;

import java.io.IOException;
import java.net.ServerSocket;

/** A loopback port nothing listens on right now, for a server a test starts as a process. */
public final class FreePorts {

  private FreePorts() {}

  public static int any() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
