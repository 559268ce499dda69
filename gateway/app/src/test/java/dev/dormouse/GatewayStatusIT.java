package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every status code of SPEC §3, each with its short text body. */
class GatewayStatusIT {

  static final String HMAC_KEY = "a-test-key-of-at-least-thirty-two-bytes!";
  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room("example", "example", ""),
            LocalRunFixture.room(
                "tiny",
                "dev.dormouse.testing.ProbeRoom",
                """
            limits:
              maxConnections: 1
            """),
            LocalRunFixture.room(
                "guarded",
                "echo",
                """
            allowedOrigins: [https://app.example.com]
            """),
            LocalRunFixture.room(
                "secured",
                "dev.dormouse.testing.ProbeRoom",
                """
            auth:
              algorithm: HS256
              secretRef: {name: jwt, key: hmac}
              issuer: tests
            """),
            LocalRunFixture.room(
                "lobby",
                "dev.dormouse.testing.ProbeRoom",
                """
            instances: true
            """));
    Path secret = dormouse.secretsDir().resolve("jwt");
    Files.createDirectories(secret);
    Files.writeString(secret.resolve("hmac"), HMAC_KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void rootListsTheEndpoints() {
    HttpResponse<String> response = LocalRunFixture.get(dormouse.http("/"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .startsWith("Supported endpoints:\n/websocket: Expects a WebSocket upgrade request");
  }

  @Test
  void plainGetOfAnEndpointIs426() {
    HttpResponse<String> response = LocalRunFixture.get(dormouse.http("/rooms/lobby"));
    assertThat(response.statusCode()).isEqualTo(426);
    assertThat(response.body()).isEqualTo("Expected Upgrade: websocket");
  }

  @Test
  void upgradeWithAnotherMethodIs400() throws IOException {
    try (RawWebSocket raw =
        RawWebSocket.open(dormouse.run().gatewayAddress(), "POST", "/websocket")) {
      assertThat(raw.status()).isEqualTo(400);
    }
  }

  @Test
  void unknownRoomIs404() {
    assertThat(WsClient.refusedStatus(dormouse.ws("/rooms/nowhere"), Map.of())).isEqualTo(404);
    assertThat(WsClient.refusedStatus(dormouse.ws("/rooms/a/b/c"), Map.of())).isEqualTo(404);
  }

  @Test
  void instancePathOnARoomWithoutInstancesIs404() {
    assertThat(WsClient.refusedStatus(dormouse.ws("/rooms/tiny/second"), Map.of())).isEqualTo(404);
  }

  @Test
  void instancesOfOneRoomAreSeparateRooms() {
    WsClient red = WsClient.connect(dormouse.ws("/rooms/lobby/red?name=r"));
    WsClient blue = WsClient.connect(dormouse.ws("/rooms/lobby/blue?name=b"));
    red.send("who");
    assertThat(red.nextText()).isEqualTo("who r[]");
    blue.send("who");
    assertThat(blue.nextText()).isEqualTo("who b[]");
  }

  @Test
  void fullRoomIs503WithRetryAfter() throws IOException {
    WsClient first = WsClient.connect(dormouse.ws("/rooms/tiny?name=first"));
    try (RawWebSocket second =
        RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/tiny")) {
      assertThat(second.status()).isEqualTo(503);
      assertThat(second.header("Retry-After")).isEqualTo("1");
    }
    first.close(1000, "done");
    first.awaitClose();
  }

  @Test
  void foreignOriginIs403() throws IOException {
    try (RawWebSocket evil =
        RawWebSocket.open(
            dormouse.run().gatewayAddress(),
            "GET",
            "/rooms/guarded",
            "Origin: https://evil.example.com\r\n")) {
      assertThat(evil.status()).isEqualTo(403);
    }
    try (RawWebSocket good =
        RawWebSocket.open(
            dormouse.run().gatewayAddress(),
            "GET",
            "/rooms/guarded",
            "Origin: https://app.example.com\r\n")) {
      assertThat(good.status()).isEqualTo(101);
    }
  }

  @Test
  void badOrMissingTokenIs401() {
    long now = System.currentTimeMillis() / 1000;
    assertThat(WsClient.refusedStatus(dormouse.ws("/rooms/secured"), Map.of())).isEqualTo(401);
    assertThat(
            WsClient.refusedStatus(
                dormouse.ws("/rooms/secured?access_token=not.a.token"), Map.of()))
        .isEqualTo(401);
    String expired =
        token("{\"alg\":\"HS256\"}", "{\"iss\":\"tests\",\"exp\":" + (now - 3600) + "}", HMAC_KEY);
    assertThat(
            WsClient.refusedStatus(
                dormouse.ws("/rooms/secured"), Map.of("Authorization", "Bearer " + expired)))
        .isEqualTo(401);
    String forged =
        token("{\"alg\":\"HS256\"}", "{\"iss\":\"tests\"}", "some-other-key-some-other-key-xx");
    assertThat(
            WsClient.refusedStatus(dormouse.ws("/rooms/secured?access_token=" + forged), Map.of()))
        .isEqualTo(401);
  }

  @Test
  void validTokenInHeaderOrQueryIsAccepted() {
    long now = System.currentTimeMillis() / 1000;
    String good =
        token(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
            "{\"iss\":\"tests\",\"sub\":\"u1\",\"exp\":" + (now + 600) + "}",
            HMAC_KEY);
    WsClient viaHeader =
        WsClient.connect(
            dormouse.ws("/rooms/secured?name=h"), Map.of("Authorization", "Bearer " + good));
    viaHeader.send("hi");
    assertThat(viaHeader.nextText()).isEqualTo("echo:hi");
    WsClient viaQuery = WsClient.connect(dormouse.ws("/rooms/secured?name=q&access_token=" + good));
    viaQuery.send("hi");
    assertThat(viaQuery.nextText()).isEqualTo("echo:hi");
  }

  @Test
  void roomMayRefuseWithItsOwnStatus() {
    assertThat(WsClient.refusedStatus(dormouse.ws("/rooms/lobby/x?refuse=1"), Map.of()))
        .isEqualTo(409);
  }

  static String token(String header, String claims, String key) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String signed =
        b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return signed
          + "."
          + b64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
