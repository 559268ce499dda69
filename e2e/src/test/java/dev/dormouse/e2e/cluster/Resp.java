package dev.dormouse.e2e.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Just enough of the Redis protocol to look at keys from the test (no client library on the classpath). */
public final class Resp {

  private Resp() {}

  /** Sends one command and returns the reply: String, Long, List, or null. */
  public static Object call(int port, String... args) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      StringBuilder command = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
        command.append('$').append(bytes.length).append("\r\n").append(arg).append("\r\n");
      }
      out.write(command.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      return read(new BufferedInputStream(socket.getInputStream()));
    }
  }

  /** Every key matching {@code pattern} (KEYS: fine for a test's tiny Redis). */
  @SuppressWarnings("unchecked")
  public static List<String> keys(int port, String pattern) throws IOException {
    return (List<String>) call(port, "KEYS", pattern);
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new IOException("redis: " + line);
      case ':':
        return Long.parseLong(line);
      case '$':
        {
          int length = Integer.parseInt(line);
          if (length < 0) {
            return null;
          }
          byte[] bytes = in.readNBytes(length + 2);
          return new String(bytes, 0, length, StandardCharsets.UTF_8);
        }
      case '*':
        {
          int count = Integer.parseInt(line);
          List<Object> items = new ArrayList<>();
          for (int i = 0; i < count; i++) {
            items.add(read(in));
          }
          return items;
        }
      default:
        throw new IOException("unexpected reply type " + (char) type);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      line.append((char) c);
    }
    in.read();
    return line.toString();
  }
}
