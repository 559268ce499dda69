package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.contract.RedisKeys;
import dev.dormouse.room.RoomKey;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.RawWebSocket;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Limits and bad input: each gets a clear close code or error, and nothing else is disturbed. */
class LimitsIT {

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room("example", "example", ""),
            LocalRunFixture.room(
                "small",
                "dev.dormouse.testing.ProbeRoom",
                """
            instances: true
            limits:
              maxMessageBytes: 1024
              maxAttachmentBytes: 100
              maxTagsPerConnection: 2
              eventTimeout: 1500ms
            """));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  static String stored(String instance, String field) {
    return dormouse
        .run()
        .redis()
        .sync()
        .hget(RedisKeys.storage(new RoomKey("default", "small", instance)), field);
  }

  @Test
  void oversizedMessageCloses1009AndTheRoomHearsOfIt() {
    WsClient big = WsClient.connect(dormouse.ws("/rooms/small/size?name=big"));
    big.send("x".repeat(2000));
    assertThat(big.awaitClose().code()).isEqualTo(1009);
    await().atMost(Duration.ofSeconds(10)).until(() -> stored("size", "closed:big") != null);
    assertThat(stored("size", "closed:big")).startsWith("1009 ");
  }

  @Test
  void messageAtTheLimitPasses() {
    WsClient edge = WsClient.connect(dormouse.ws("/rooms/small/size?name=edge"));
    String text = "y".repeat(1024 - "echo:".length());
    edge.send(text);
    assertThat(edge.nextText()).isEqualTo("echo:" + text);
  }

  @Test
  void invalidUtf8Closes1007() throws IOException {
    try (RawWebSocket raw =
        RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/rooms/small/utf8")) {
      assertThat(raw.status()).isEqualTo(101);
      raw.sendText(new byte[] {(byte) 0xC3, (byte) 0x28});
      assertThat(raw.readUntilClose().closeCode()).isEqualTo(1007);
    }
  }

  @Test
  void closeFrameWithoutCodeIsAnswered() throws IOException {
    try (RawWebSocket raw =
        RawWebSocket.open(dormouse.run().gatewayAddress(), "GET", "/websocket")) {
      assertThat(raw.status()).isEqualTo(101);
      raw.sendEmptyClose();
      RawWebSocket.Frame answer = raw.readUntilClose();
      assertThat(answer.payload())
          .as("a close frame without a code is answered without one")
          .isEmpty();
      assertThat(raw.serverClosedConnection()).isTrue();
    }
  }

  @Test
  void attachmentTooLargeIsAClearErrorToTheRoom() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/small/attach?name=a"));
    client.send("attach:10");
    assertThat(client.nextText()).isEqualTo("attached");
    client.send("attach:200");
    assertThat(client.nextText())
        .matches(
            "refused: attachment of \\d+ bytes exceeds spec.limits.maxAttachmentBytes \\(100\\)");
  }

  @Test
  void tooManyTagsAreRefused() {
    assertThat(WsClient.refusedStatus(dormouse.ws("/rooms/small/tags?tags=a,b,c"), Map.of()))
        .isEqualTo(500);
    WsClient two = WsClient.connect(dormouse.ws("/rooms/small/tags?name=t&tags=a,b"));
    two.send("who");
    assertThat(two.nextText()).isEqualTo("who t[a, b]");
  }

  @Test
  void aClientThatStopsReadingIsClosedWith1008AndDoesNotStallItsRoom() throws IOException {
    try (RawWebSocket slow =
        RawWebSocket.open(
            dormouse.run().gatewayAddress(), "GET", "/rooms/small/slow-reader?name=s")) {
      assertThat(slow.status()).isEqualTo(101);
      WsClient fast = WsClient.connect(dormouse.ws("/rooms/small/slow-reader?name=f"));
      double slowConsumers = dormouse.run().metrics().errors("slow-consumer");

      // 12 MB in 1000-byte messages: past what the kernel buffers, then past the gateway's 1 MiB
      // limit.
      slow.sendText("flood:12000:1000".getBytes(java.nio.charset.StandardCharsets.UTF_8));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> dormouse.run().metrics().errors("slow-consumer") > slowConsumers);
      fast.send("still served");
      assertThat(fast.nextText()).isEqualTo("echo:still served");
      RawWebSocket.Frame close = slow.readUntilClose();
      assertThat(close.closeCode()).isEqualTo(1008);
      assertThat(close.text()).startsWith("Client too slow");
    }
  }

  @Test
  void throwingHandlerResetsOnlyItsInstance() {
    WsClient failing = WsClient.connect(dormouse.ws("/rooms/small/failing?name=f"));
    WsClient bystander = WsClient.connect(dormouse.ws("/rooms/small/bystander?name=b"));
    double errors = dormouse.run().metrics().errors("handler");
    double revivals = dormouse.run().metrics().revivals();

    failing.send("throw");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dormouse.run().metrics().errors("handler") > errors);
    failing.send("still there?");

    assertThat(failing.nextText()).isEqualTo("echo:still there?");
    assertThat(failing.isClosed()).isFalse();
    assertThat(dormouse.run().metrics().revivals())
        .as("only the failed instance restarted")
        .isEqualTo(revivals + 1);
    bystander.send("fine");
    assertThat(bystander.nextText()).isEqualTo("echo:fine");
  }

  @Test
  void overrunningHandlerIsAbandonedWhileOtherInstancesRun() {
    WsClient slow = WsClient.connect(dormouse.ws("/rooms/small/slow?name=s"));
    WsClient quick = WsClient.connect(dormouse.ws("/rooms/small/quick?name=q"));
    double timeouts = dormouse.run().metrics().errors("timeout");

    slow.send("sleep:6000");
    quick.send("meanwhile");
    assertThat(quick.nextText()).isEqualTo("echo:meanwhile");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dormouse.run().metrics().errors("timeout") > timeouts);
    slow.send("after reset");

    assertThat(slow.nextText())
        .as("the reset instance serves on; the stale handler never answers")
        .isEqualTo("echo:after reset");
    assertThat(slow.isClosed()).isFalse();
  }
}
