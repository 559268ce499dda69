package dev.dormouse.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A backend calling a gateway's publish API over real HTTP. */
public final class PublishClient {

  public static final String TOKEN = "a-publish-token-for-the-tests-0123456789";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(WsClient.WAIT).build();
  private final InetSocketAddress api;

  public PublishClient(InetSocketAddress api) {
    this.api = api;
  }

  public HttpResponse<String> publishText(String path, String text) {
    return send("POST", path, TOKEN, "text/plain", text.getBytes(StandardCharsets.UTF_8));
  }

  /** A text body of unknown length: sent chunked, so only reading it can find it too large. */
  public HttpResponse<String> publishChunked(String path, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));
  }

  /**
   * @param token null: no Authorization header
   * @param contentType null: no Content-Type header
   */
  public HttpResponse<String> send(
      String method, String path, String token, String contentType, byte[] body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + api.getPort() + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
