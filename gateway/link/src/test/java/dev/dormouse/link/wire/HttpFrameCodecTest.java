package dev.dormouse.link.wire;

import static dev.dormouse.link.wire.FrameCodecTest.assertRoundTrip;
import static dev.dormouse.link.wire.FrameCodecTest.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.room.RequestSource;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The frames of HTTP into rooms and calls between rooms: REQUEST, RESPONSE, CALL, CALL_RESULT. */
class HttpFrameCodecTest {

  private static final RoomKey KEY = new RoomKey("default", "counter", "été-1");
  private static final String UNICODE = "grüße, мир, 世界, 🐭";

  private static RoomRequest request(byte[] body) {
    return new RoomRequest(
        "POST",
        "/a/b",
        "/rooms/counter/été-1/a/b",
        Map.of("q", List.of("1", UNICODE), "empty", List.of("")),
        Map.of("content-type", List.of("application/octet-stream"), "x-many", List.of("1", "2")),
        body);
  }

  @Test
  void aRequestCarriesMethodPathsQueryHeadersAndTheBodyAsSent() {
    byte[] body = new byte[70_000];
    new Random(3).nextBytes(body);

    Frame.Request decoded = (Frame.Request) roundTrip(new Frame.Request(21, KEY, request(body)));

    assertThat(decoded.id()).isEqualTo(21);
    assertThat(decoded.key()).isEqualTo(KEY);
    assertThat(decoded.request()).usingRecursiveComparison().isEqualTo(request(body));
    assertRoundTrip(new Frame.Request(22, KEY, RoomRequest.get("/")));
  }

  @Test
  void responsesAndCallResultsKeepStatusHeadersAndBody() {
    RoomResponse json =
        RoomResponse.json(201, "{\"n\":" + UNICODE.length() + "}").withHeader("X-Id", UNICODE);
    assertRoundTrip(new Frame.Response(5, json));
    assertRoundTrip(new Frame.Response(6, RoomResponse.empty(204)));
    assertRoundTrip(new Frame.CallResult(7, RoomResponse.text(504, UNICODE)));
    Frame.CallResult decoded =
        (Frame.CallResult)
            roundTrip(
                new Frame.CallResult(
                    1L << 40, RoomResponse.bytes(200, "image/png", new byte[] {0, -1, 2})));
    assertThat(decoded.id()).isEqualTo(1L << 40);
    assertThat(decoded.response().body()).containsExactly(0, -1, 2);
    assertThat(decoded.response().header("content-type")).contains("image/png");
  }

  @Test
  void aCallNamesItsTargetAndCarriesTheRequest() {
    byte[] body = UNICODE.getBytes(StandardCharsets.UTF_8);
    assertRoundTrip(new Frame.Call(9, KEY, request(body)));
    assertRoundTrip(new Frame.Call(10, RoomKey.of("ns", "room"), RoomRequest.post("/x", "hi")));
  }

  @Test
  void aRequestHandedBackKeepsItsIdAndBody() {
    Frame.Redirect decoded =
        (Frame.Redirect)
            roundTrip(
                new Frame.Redirect(
                    Optional.of("owner-2"),
                    new Frame.Request(33, KEY, RoomRequest.post("/p", UNICODE))));
    assertThat(decoded.event().id()).isEqualTo(33);
    assertThat(((Frame.Request) decoded.event()).request().bodyText()).isEqualTo(UNICODE);
  }

  @Test
  void aResponseWithAnImpossibleStatusIsMalformed() {
    // RESPONSE, id 1, status 999, no headers.
    byte[] frame = {FrameCodec.RESPONSE, 1, (byte) 0xe7, 0x07, 0};
    assertThatThrownBy(() -> FrameCodec.decode(Unpooled.wrappedBuffer(frame)))
        .isInstanceOf(FrameFormatException.class)
        .hasMessageContaining("999");
    assertThat(FrameCodec.typeName(FrameCodec.CALL)).isEqualTo("CALL");
  }

  @Test
  void requestsAndCallsCarryWhoSentThem() {
    for (RequestSource source : RequestSource.values()) {
      RoomRequest request = request(new byte[] {1, 2}).withSource(source);
      Frame.Request forwarded = (Frame.Request) roundTrip(new Frame.Request(5, KEY, request));
      Frame.Call call = (Frame.Call) roundTrip(new Frame.Call(6, KEY, request));
      assertThat(forwarded.request().source()).isEqualTo(source);
      assertThat(call.request().source()).isEqualTo(source);
    }
  }

  @Test
  void aRequestFromAnUnknownSourceIsMalformed() {
    ByteBuf encoded =
        FrameCodec.encode(
            new Frame.Call(1, KEY, RoomRequest.get("/")), UnpooledByteBufAllocator.DEFAULT);
    encoded.skipBytes(FrameCodec.LENGTH_BYTES);
    byte[] frame = new byte[encoded.readableBytes()];
    encoded.readBytes(frame);
    encoded.release();
    frame[frame.length - 1] = 9; // the source: the body, after it, is empty
    assertThatThrownBy(() -> FrameCodec.decode(Unpooled.wrappedBuffer(frame)))
        .isInstanceOf(FrameFormatException.class)
        .hasMessage("unknown request source 9");
  }
}
