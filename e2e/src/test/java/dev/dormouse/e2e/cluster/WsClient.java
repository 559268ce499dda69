package dev.dormouse.e2e.cluster;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that records what it receives and how it was closed. */
public final class WsClient implements WebSocket.Listener {

  /** How the server closed the socket. */
  public record Close(int code, String reason) {
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();
  private ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private WebSocket socket;

  /** Connects, waiting up to {@code timeout} for the handshake (a room waking from zero owners takes a pod start). */
  public static WsClient connect(URI uri, Duration timeout) {
    WsClient client = new WsClient();
    client.socket = HTTP.newWebSocketBuilder().connectTimeout(timeout).buildAsync(uri, client)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    return client;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      received.add(text.toString());
      text.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    binary.writeBytes(chunk);
    if (last) {
      received.add(binary.toByteArray());
      binary = new ByteArrayOutputStream();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }

  public void send(String message) {
    socket.sendText(message, true).join();
  }

  public void send(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  public void close(int code, String reason) {
    socket.sendClose(code, reason).join();
  }

  public void abort() {
    socket.abort();
  }

  public String nextText() {
    return nextText(Duration.ofSeconds(15));
  }

  /** The next text message, failing the test if none comes within {@code timeout}. */
  public String nextText(Duration timeout) {
    try {
      Object next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (next == null) {
        throw new AssertionError("no message within " + timeout + (closed.isDone() ? "; socket closed: "
            + closed.getNow(null) : ""));
      }
      if (!(next instanceof String s)) {
        throw new AssertionError("expected a text message, got binary");
      }
      return s;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public Close awaitClose(Duration timeout) {
    return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  public boolean isClosed() {
    return closed.isDone();
  }
}
