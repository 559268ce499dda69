package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP into a JavaScript room, {@code /rooms/{room}/{instance}/…}: the class's {@code
 * fetch(request)} gets a Request (method, URL with the path and query, headers, body) and its
 * Response's status, headers and body reach the client; the same class accepts WebSockets, and an
 * HTTP request reaches its sockets.
 */
class JsHttpFetchIT {

  static final String MODULE =
      JsRooms.IMPORT
          + """
          export class Api extends DurableObject {
            async fetch(request) {
              const url = new URL(request.url);
              if (request.headers.get("Upgrade") === "websocket") {
                const [client, server] = Object.values(new WebSocketPair());
                this.ctx.acceptWebSocket(server);
                return new Response(null, { status: 101, webSocket: client });
              }
              switch (url.pathname.split("/").pop()) {
                case "json":
                  return Response.json(
                    { method: request.method, q: url.searchParams.get("q"), room: this.ctx.id.name },
                    { headers: { "X-Room": "api" } });
                case "echo":
                  return new Response(await request.text(), {
                    status: 201,
                    headers: { "Content-Type": request.headers.get("content-type") ?? "none", "X-Method": request.method },
                  });
                case "bytes":
                  return new Response(new Uint8Array([0, 1, 254, 255]), { headers: { "Content-Type": "application/octet-stream" } });
                case "teapot":
                  return new Response("short and stout", { status: 418 });
                case "notify": {
                  const text = await request.text();
                  const sockets = this.ctx.getWebSockets();
                  sockets.forEach((ws) => ws.send(text));
                  return new Response(null, { status: 202, headers: { "X-Delivered": String(sockets.length) } });
                }
                case "count": {
                  const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
                  await this.ctx.storage.put("n", n);
                  return Response.json({ n });
                }
                default:
                  return new Response("no " + url.pathname, { status: 404 });
              }
            }
          }
          """;

  static LocalRunFixture dormouse;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        JsRooms.start(
            "api",
            "api.js",
            "Api",
            MODULE,
            "instances: true\nhibernation:\n  idleTimeout: 500ms\n");
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpRequest.Builder to(String path) {
    return HttpRequest.newBuilder(dormouse.http("/rooms/api/" + path));
  }

  @Test
  void responseJsonGivesStatusHeadersAndBody() throws Exception {
    HttpResponse<byte[]> answer = send(to("lobby/some/json?q=a%20b").DELETE());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(answer.headers().firstValue("x-room")).hasValue("api");
    assertThat(new String(answer.body()))
        .isEqualTo("{\"method\":\"DELETE\",\"q\":\"a b\",\"room\":\"lobby\"}");
  }

  @Test
  void theRequestBodyAndHeadersReachTheRoom() throws Exception {
    HttpResponse<byte[]> answer =
        send(
            to("lobby/echo")
                .header("Content-Type", "text/plain; charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofString("grüße")));

    assertThat(answer.statusCode()).isEqualTo(201);
    assertThat(answer.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
    assertThat(answer.headers().firstValue("x-method")).hasValue("PUT");
    assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("grüße");
  }

  @Test
  void bytesAndStatusesComeBackAsTheRoomGaveThem() throws Exception {
    assertThat(send(to("lobby/bytes").GET()).body()).containsExactly(0, 1, 254, 255);
    HttpResponse<byte[]> teapot = send(to("lobby/teapot").GET());
    assertThat(teapot.statusCode()).isEqualTo(418);
    assertThat(new String(teapot.body())).isEqualTo("short and stout");
    HttpResponse<byte[]> missing = send(to("lobby/elsewhere").GET());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new String(missing.body())).isEqualTo("no /rooms/api/lobby/elsewhere");
  }

  @Test
  void aRequestReachesTheInstancesSockets() throws Exception {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/api/party"));
    JsRooms.awaitEviction(dormouse);

    HttpResponse<byte[]> answer =
        send(to("party/notify").POST(HttpRequest.BodyPublishers.ofString("from HTTP")));

    assertThat(answer.statusCode()).isEqualTo(202);
    assertThat(answer.headers().firstValue("x-delivered")).hasValue("1");
    assertThat(client.nextText()).isEqualTo("from HTTP");
  }

  @Test
  void anInstancesStorageIsItsOwnAndOutlivesEviction() throws Exception {
    assertThat(new String(send(to("one/count").POST(noBody())).body())).isEqualTo("{\"n\":1}");
    assertThat(new String(send(to("one/count").POST(noBody())).body())).isEqualTo("{\"n\":2}");
    assertThat(new String(send(to("two/count").POST(noBody())).body())).isEqualTo("{\"n\":1}");
    JsRooms.awaitEviction(dormouse);
    assertThat(new String(send(to("one/count").POST(noBody())).body())).isEqualTo("{\"n\":3}");
  }

  static HttpRequest.BodyPublisher noBody() {
    return HttpRequest.BodyPublishers.noBody();
  }
}
