package dev.dormouse.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that records what it receives. */
public final class WsClient implements WebSocket.Listener {

  public static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** How the server closed the socket. */
  public record Close(int code, String reason) {}

  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();
  private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
  private WebSocket socket;

  public static WsClient connect(URI uri) {
    return connect(uri, Map.of());
  }

  public static WsClient connect(URI uri, Map<String, String> headers) {
    return connect(uri, headers, WAIT);
  }

  /** Connects, waiting up to {@code timeout} for the handshake (a room waking from zero owners takes a pod start). */
  public static WsClient connect(URI uri, Duration timeout) {
    return connect(uri, Map.of(), timeout);
  }

  private static WsClient connect(URI uri, Map<String, String> headers, Duration timeout) {
    WsClient client = new WsClient();
    WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(timeout);
    headers.forEach(builder::header);
    client.socket =
        builder.buildAsync(uri, client).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    return client;
  }

  /** The HTTP status the server refused the upgrade with. */
  public static int refusedStatus(URI uri, Map<String, String> headers) {
    try {
      connect(uri, headers).abort();
      throw new AssertionError("upgrade to " + uri + " was accepted");
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
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
      binary = new java.io.ByteArrayOutputStream();
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

  /** The next text message, failing the test if none comes in time. */
  public String nextText() {
    return nextText(WAIT);
  }

  /** The next text message, failing the test if none comes within {@code timeout}. */
  public String nextText(Duration timeout) {
    Object next = next(timeout);
    if (!(next instanceof String s)) {
      throw new AssertionError("expected a text message, got binary");
    }
    return s;
  }

  public byte[] nextBinary() {
    Object next = next(WAIT);
    if (!(next instanceof byte[] b)) {
      throw new AssertionError("expected a binary message, got text: " + next);
    }
    return b;
  }

  private Object next(Duration timeout) {
    try {
      Object next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (next == null) {
        throw new AssertionError(
            "no message within "
                + timeout
                + (closed.isDone()
                    ? "; socket closed: "
                        + closed.handle((close, error) -> close != null ? close : error).join()
                    : ""));
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** True when nothing at all is waiting to be read. */
  public boolean nothingReceived() {
    return received.isEmpty();
  }

  public Close awaitClose() {
    return awaitClose(WAIT);
  }

  public Close awaitClose(Duration timeout) {
    return closed.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  public boolean isClosed() {
    return closed.isDone();
  }
}
