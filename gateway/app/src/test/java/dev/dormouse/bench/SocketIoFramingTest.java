package dev.dormouse.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.bench.SocketIoFraming.Kind;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SocketIoFramingTest {

  private static ByteBuffer frame(String text) {
    // Framed in the middle of a larger buffer, as the client's shared read buffer hands it over.
    byte[] bytes = ("junk" + text + "junk").getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.wrap(bytes).position(4).limit(4 + text.length()).slice().position(0);
  }

  private static String text(ByteBuffer view) {
    byte[] bytes = new byte[view.remaining()];
    view.duplicate().get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void tellsThePacketsTheClientAnswersApart() {
    assertThat(SocketIoFraming.kind(frame("0{\"sid\":\"a\",\"pingInterval\":25000}")))
        .isEqualTo(Kind.OPEN);
    assertThat(SocketIoFraming.kind(frame("40{\"sid\":\"b\"}"))).isEqualTo(Kind.CONNECTED);
    assertThat(SocketIoFraming.kind(frame("44{\"message\":\"no\"}"))).isEqualTo(Kind.CONNECT_ERROR);
    assertThat(SocketIoFraming.kind(frame("2"))).isEqualTo(Kind.PING);
    assertThat(SocketIoFraming.kind(frame("42[\"message\",\"x\"]"))).isEqualTo(Kind.EVENT);
    assertThat(SocketIoFraming.kind(frame("41"))).isEqualTo(Kind.OTHER);
    assertThat(SocketIoFraming.kind(frame("4"))).isEqualTo(Kind.OTHER);
    assertThat(SocketIoFraming.kind(frame("6"))).isEqualTo(Kind.OTHER);
    assertThat(SocketIoFraming.kind(frame(""))).isEqualTo(Kind.OTHER);
  }

  @Test
  void anEventsStringArgumentIsTheTextBetweenItsQuotes() {
    ByteBuffer frame = frame("42[\"message\",\"#17#xxxx\"]");

    ByteBuffer argument = SocketIoFraming.eventArgument(frame);

    assertThat(text(argument)).isEqualTo("#17#xxxx");
    assertThat(frame.position()).as("the frame itself is not consumed").isZero();
  }

  @Test
  void anObjectArgumentIsReturnedAsItsJson() {
    ByteBuffer argument =
        SocketIoFraming.eventArgument(
            frame("42[\"message\",{\"type\":\"join\",\"id\":\"a]b\",\"name\":\"x\"}]"));

    assertThat(text(argument)).isEqualTo("{\"type\":\"join\",\"id\":\"a]b\",\"name\":\"x\"}");
  }

  @Test
  void escapedQuotesDoNotEndAString() {
    assertThat(text(SocketIoFraming.eventArgument(frame("42[\"a\\\"b\",\"c\\\"d\\\\\"]"))))
        .isEqualTo("c\\\"d\\\\");
  }

  @Test
  void aNamespaceAndAnAckIdAreSkipped() {
    assertThat(text(SocketIoFraming.eventArgument(frame("42/chat,7[\"message\",\"hi\"]"))))
        .isEqualTo("hi");
    assertThat(text(SocketIoFraming.eventArgument(frame("4212[\"message\",3]")))).isEqualTo("3");
  }

  @Test
  void framesThatAreNotEventsWithAnArgumentAreRefused() {
    for (String bad :
        new String[] {
          "42",
          "42[]",
          "42[\"message\"]",
          "42[\"message\",]",
          "42[\"unterminated",
          "42{\"a\":1}",
          "42[\"message\",\"open"
        }) {
      assertThatThrownBy(() -> SocketIoFraming.eventArgument(frame(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("not a Socket.IO event");
    }
  }

  @Test
  void eventsAreEncodedAsSocketIoSendsThem() {
    assertThat(new String(SocketIoFraming.event("message", "#3#xx"), StandardCharsets.UTF_8))
        .isEqualTo("42[\"message\",\"#3#xx\"]");
    assertThat(new String(SocketIoFraming.event("message", "a\"b\\c\nd"), StandardCharsets.UTF_8))
        .isEqualTo("42[\"message\",\"a\\\"b\\\\c\\u000ad\"]");
  }

  @Test
  void whatTheClientEncodesItParsesBack() {
    byte[] encoded = SocketIoFraming.event("message", "B" + "x".repeat(31));

    assertThat(text(SocketIoFraming.eventArgument(ByteBuffer.wrap(encoded))))
        .isEqualTo("B" + "x".repeat(31));
  }
}
