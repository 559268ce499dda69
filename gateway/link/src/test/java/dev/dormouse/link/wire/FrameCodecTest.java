package dev.dormouse.link.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import dev.dormouse.room.RoomKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  private static final RoomKey KEY = new RoomKey("default", "chat", "lobby/été 🎉");
  private static final String UNICODE = "grüße, мир, 世界, 🐭 — and a lone \u00e9";

  @Test
  void handshakeFramesRoundTrip() {
    byte[] nonce = LinkHandshake.nonce();
    assertRoundTrip(new Frame.Challenge(LinkHandshake.VERSION, nonce));
    assertRoundTrip(new Frame.Hello(LinkHandshake.VERSION, "gateway-7f", nonce, new byte[32]));
    assertRoundTrip(new Frame.Welcome("owner-0", nonce));
    assertRoundTrip(new Frame.Ping());
  }

  @Test
  void connectCarriesTheWholeRequestWithTypedClaims() {
    Map<String, Object> claims =
        Map.of(
            "sub",
            "user-1",
            "n",
            42,
            "exp",
            1_900_000_000_000L,
            "score",
            0.5,
            "admin",
            true,
            "banned",
            false,
            "big",
            new BigInteger("123456789012345678901234567890"),
            "price",
            new BigDecimal("12.50"),
            "roles",
            List.of("a", "b", List.of(1, 2)),
            "nested",
            Map.of("k", Map.of("deeper", UNICODE)));
    ConnectRequest request =
        new ConnectRequest(
            "/rooms/chat/lobby",
            Map.of("token", List.of("t", "u")),
            Map.of("origin", List.of("https://example.com"), "x-many", List.of("1", "2", "3")),
            "10.0.0.1:5555",
            claims);

    Frame.Connect decoded = (Frame.Connect) roundTrip(new Frame.Connect(7, KEY, "gw.1", request));

    assertThat(decoded.request()).isEqualTo(request);
    assertThat(decoded.request().claims().get("n")).isInstanceOf(Integer.class);
    assertThat(decoded.request().claims().get("exp")).isInstanceOf(Long.class);
    assertThat(decoded.key()).isEqualTo(KEY);
  }

  @Test
  void messagesKeepTheirBytesTextOrBinary() {
    byte[] large = new byte[5 << 20];
    new Random(1).nextBytes(large);

    Frame.Incoming text =
        (Frame.Incoming) roundTrip(new Frame.Incoming(1, KEY, "gw.1", Message.text(UNICODE)));
    Frame.Incoming binary =
        (Frame.Incoming)
            roundTrip(new Frame.Incoming(Long.MAX_VALUE, KEY, "gw.2", Message.binary(large)));
    Frame.Incoming empty =
        (Frame.Incoming) roundTrip(new Frame.Incoming(3, KEY, "gw.3", Message.binary(new byte[0])));

    assertThat(text.message().isText()).isTrue();
    assertThat(text.message().text()).isEqualTo(UNICODE);
    assertThat(binary.id()).isEqualTo(Long.MAX_VALUE);
    assertThat(binary.message().isText()).isFalse();
    assertThat(binary.message().bytes()).isEqualTo(large);
    assertThat(empty.message().bytes()).isEmpty();
  }

  @Test
  void otherEventsRoundTrip() {
    assertRoundTrip(new Frame.Failure(KEY, "gw.1", "invalid UTF-8: " + UNICODE));
    assertRoundTrip(new Frame.Close(9, KEY, "gw.1", 4000, UNICODE, true, false));
    assertRoundTrip(new Frame.Close(10, KEY, "gw.1", 1006, "", false, true));
    assertRoundTrip(new Frame.Fence(11, RoomKey.of("ns", "room")));
    assertRoundTrip(new Frame.Alarm(KEY));
  }

  @Test
  void answersRoundTrip() {
    assertRoundTrip(
        new Frame.ConnectResult(
            1, ConnectOutcome.accepted(Optional.of(new AutoResponsePair("ping", "pong")))));
    assertRoundTrip(new Frame.ConnectResult(2, ConnectOutcome.accepted(Optional.empty())));
    assertRoundTrip(new Frame.ConnectResult(3, ConnectOutcome.refused(403, UNICODE)));
    assertRoundTrip(new Frame.Handled(new long[] {1, 2, 300, 1L << 40, Long.MAX_VALUE}));
    assertRoundTrip(new Frame.CloseDone(5));
    assertRoundTrip(new Frame.FenceDone(6));
  }

  @Test
  void commandsRoundTrip() {
    assertRoundTrip(new Frame.ClientClose("gw.1", 1013, UNICODE));
    assertRoundTrip(new Frame.Auto(KEY, Optional.of(new AutoResponsePair("ping", UNICODE))));
    assertRoundTrip(new Frame.Auto(KEY, Optional.empty()));
    assertRoundTrip(new Frame.Redirect(Optional.of("owner-2"), new Frame.Fence(12, KEY)));
    assertRoundTrip(
        new Frame.Redirect(
            Optional.empty(), new Frame.Close(13, KEY, "gw.1", 1000, "bye", true, false)));
    assertRoundTrip(
        new Frame.Redirect(Optional.empty(), new Frame.Failure(KEY, "gw.1", "bad frame")));
    assertRoundTrip(new Frame.Redirect(Optional.of("owner-2"), new Frame.Alarm(KEY)));
    assertRoundTrip(new Frame.Draining());
    assertRoundTrip(new Frame.Released());
    assertRoundTrip(new Frame.Serving());
    assertRoundTrip(new Frame.Paused());

    Frame.Redirect message =
        (Frame.Redirect)
            roundTrip(
                new Frame.Redirect(
                    Optional.of("owner-1"),
                    new Frame.Incoming(14, KEY, "gw.1", Message.text(UNICODE))));
    assertThat(message.event().id()).isEqualTo(14);
    assertThat(((Frame.Incoming) message.event()).message().text()).isEqualTo(UNICODE);
  }

  @Test
  void aBroadcastCarriesThePayloadOnceWithEveryConnectionId() {
    byte[] payload = new byte[1 << 20];
    new Random(2).nextBytes(payload);
    List<String> ids =
        IntStream.range(0, 10_000).mapToObj(i -> "gateway-1." + Integer.toString(i, 36)).toList();

    ByteBuf encoded =
        FrameCodec.encode(
            new Frame.Send(OutboundMessage.binary(payload), ids), UnpooledByteBufAllocator.DEFAULT);
    int idBytes = ids.stream().mapToInt(id -> id.length() + 1).sum();
    assertThat(encoded.readableBytes()).isLessThan(payload.length + idBytes + 16);
    Frame.Send decoded = (Frame.Send) decodeFrame(encoded);

    assertThat(decoded.connectionIds()).containsExactlyElementsOf(ids);
    assertThat(decoded.message().text()).isFalse();
    assertThat(decoded.message().view()).isEqualTo(ByteBuffer.wrap(payload));
    assertRoundTrip(new Frame.Send(OutboundMessage.text(UNICODE), List.of("one")));
  }

  @Test
  void encodingReferencesThePayloadInsteadOfCopyingIt() {
    byte[] payload = "before".getBytes();
    ByteBuf encoded =
        FrameCodec.encode(
            new Frame.Send(OutboundMessage.binary(payload), List.of("a")),
            UnpooledByteBufAllocator.DEFAULT);

    payload[0] = 'B';

    Frame.Send decoded = (Frame.Send) decodeFrame(encoded);
    assertThat(decoded.message().view()).isEqualTo(ByteBuffer.wrap("Before".getBytes()));
  }

  @Test
  void framesLargerThanTheLimitAreRefusedWhenEncoded() {
    OutboundMessage huge = new OutboundMessage(false, ByteBuffer.allocate(FrameCodec.MAX_FRAME));

    assertThatThrownBy(
            () ->
                FrameCodec.encode(
                    new Frame.Send(huge, List.of("a")), UnpooledByteBufAllocator.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SEND frame of")
        .hasMessageContaining("larger than the link's limit");
  }

  @Test
  void adminCommandsAndTheirAnswersRoundTrip() {
    assertRoundTrip(new Frame.Command(14, KEY, RoomEvent.Command.Action.HIBERNATE));
    assertRoundTrip(new Frame.Command(15, KEY, RoomEvent.Command.Action.WAKE));
    assertRoundTrip(
        new Frame.Redirect(
            Optional.of("owner-2"), new Frame.Command(16, KEY, RoomEvent.Command.Action.WAKE)));
    assertRoundTrip(new Frame.CommandDone(17, Optional.empty()));
    assertRoundTrip(new Frame.CommandDone(18, Optional.of(Refusal.ROOM_NOT_SERVED)));
  }

  @Test
  void aCommandOrAnAnswerNamingNoKnownValueIsMalformed() {
    ByteBuf command = Unpooled.buffer().writeByte(FrameCodec.COMMAND).writeByte(1);
    WireFields.writeKey(command, KEY);
    WireFields.writeString(command, "EXPLODE");
    assertThatThrownBy(() -> FrameCodec.decode(command))
        .isInstanceOf(FrameFormatException.class)
        .hasMessageContaining("EXPLODE");
    ByteBuf done = Unpooled.buffer().writeByte(FrameCodec.COMMAND_DONE).writeByte(1);
    WireFields.writeOptionalString(done, Optional.of("NO_SUCH_REFUSAL"));
    assertThatThrownBy(() -> FrameCodec.decode(done))
        .isInstanceOf(FrameFormatException.class)
        .hasMessageContaining("NO_SUCH_REFUSAL");
  }

  @Test
  void malformedFramesAreRefused() {
    assertThatThrownBy(() -> FrameCodec.decode(Unpooled.wrappedBuffer(new byte[] {99})))
        .isInstanceOf(FrameFormatException.class)
        .hasMessageContaining("unknown frame type 99");
    assertThatThrownBy(
            () -> FrameCodec.decode(Unpooled.wrappedBuffer(new byte[] {FrameCodec.CLOSE_DONE})))
        .isInstanceOf(FrameFormatException.class)
        .hasMessageContaining("ends in the middle");
    assertThatThrownBy(
            () ->
                FrameCodec.decode(Unpooled.wrappedBuffer(new byte[] {FrameCodec.CLOSE_DONE, 1, 0})))
        .isInstanceOf(FrameFormatException.class)
        .hasMessageContaining("unexpected bytes");
    // A string claiming to be longer than the frame: refused before anything is allocated.
    assertThatThrownBy(
            () ->
                FrameCodec.decode(
                    Unpooled.wrappedBuffer(
                        new byte[] {
                          FrameCodec.WELCOME, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07
                        })))
        .isInstanceOf(FrameFormatException.class)
        .hasMessageContaining("past the end");
  }

  static void assertRoundTrip(Frame frame) {
    assertThat(roundTrip(frame))
        .usingRecursiveComparison()
        .withEqualsForType(ByteBuffer::equals, ByteBuffer.class)
        .isEqualTo(frame);
  }

  static Frame roundTrip(Frame frame) {
    return decodeFrame(FrameCodec.encode(frame, UnpooledByteBufAllocator.DEFAULT));
  }

  /** Checks the length prefix, then decodes what follows it, as the frame decoder would hand it over. */
  private static Frame decodeFrame(ByteBuf encoded) {
    try {
      int length = encoded.readInt();
      assertThat(length).isEqualTo(encoded.readableBytes());
      return FrameCodec.decode(encoded);
    } finally {
      encoded.release();
    }
  }
}
