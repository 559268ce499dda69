package dev.dormouse.gateway;

import static dev.dormouse.testing.ClientFrames.BINARY;
import static dev.dormouse.testing.ClientFrames.CLOSE;
import static dev.dormouse.testing.ClientFrames.CONTINUATION;
import static dev.dormouse.testing.ClientFrames.PING;
import static dev.dormouse.testing.ClientFrames.PONG;
import static dev.dormouse.testing.ClientFrames.TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.ClientFrames;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client framing rules of RFC 6455 §5, fed as bytes, without sockets. */
class ClientFrameParserTest {

  static final int LIMIT = 1024;

  /** What the parser reported, as readable lines. */
  static final class Recording implements ClientFrameParser.Sink {
    final List<String> events = new ArrayList<>();

    @Override
    public void text(String text, int size) {
      events.add("text " + text);
    }

    @Override
    public void binary(byte[] payload) {
      events.add("binary " + Arrays.toString(payload));
    }

    @Override
    public void ping(byte[] payload) {
      events.add("ping " + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public void pong(byte[] payload) {
      events.add("pong " + new String(payload, StandardCharsets.UTF_8));
    }

    @Override
    public void close(int code, String reason) {
      events.add("close " + code + " " + reason);
    }
  }

  final ClientFrameParser parser = new ClientFrameParser(LIMIT);
  final Recording sink = new Recording();

  Optional<ClientFrameParser.Violation> feed(byte[]... chunks) {
    Optional<ClientFrameParser.Violation> result = Optional.empty();
    for (byte[] chunk : chunks) {
      result = parser.feed(ByteBuffer.wrap(chunk), sink);
    }
    return result;
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      all.writeBytes(part);
    }
    return all.toByteArray();
  }

  void assertViolation(Optional<ClientFrameParser.Violation> found, int code, String reason) {
    assertThat(found)
        .as("violation")
        .hasValueSatisfying(
            v -> {
              assertThat(v.code()).isEqualTo(code);
              assertThat(v.reason()).contains(reason);
            });
  }

  @Test
  void aStreamFedOneByteAtATimeGivesTheSameMessagesAsFedWhole() {
    byte[] stream =
        concat(
            ClientFrames.frame(TEXT, utf8("héllo")),
            ClientFrames.frame(false, BINARY, new byte[] {1, 2}),
            ClientFrames.frame(PING, utf8("are you there")),
            ClientFrames.frame(CONTINUATION, new byte[] {3}),
            ClientFrames.frame(TEXT, utf8("x".repeat(300))),
            ClientFrames.frame(PONG, utf8("unsolicited")),
            ClientFrames.frame(CLOSE, ClientFrames.closePayload(4000, utf8("bye"))));
    List<String> expected =
        List.of(
            "text héllo",
            "ping are you there",
            "binary [1, 2, 3]",
            "text " + "x".repeat(300),
            "pong unsolicited",
            "close 4000 bye");

    assertThat(feed(stream)).isEmpty();
    assertThat(sink.events).containsExactlyElementsOf(expected);

    ClientFrameParser bytewise = new ClientFrameParser(LIMIT);
    Recording second = new Recording();
    for (byte b : stream) {
      assertThat(bytewise.feed(ByteBuffer.wrap(new byte[] {b}), second)).isEmpty();
    }
    assertThat(second.events).containsExactlyElementsOf(expected);
  }

  @Test
  void aCharacterSplitAcrossFragmentsIsOneCharacter() {
    byte[] euro = utf8("€");
    assertThat(
            feed(
                ClientFrames.frame(false, TEXT, Arrays.copyOf(euro, 1)),
                ClientFrames.frame(true, CONTINUATION, Arrays.copyOfRange(euro, 1, 3))))
        .isEmpty();
    assertThat(sink.events).containsExactly("text €");
  }

  @Test
  void aMessageAtTheLimitPassesInOneFrameAndInFragments() {
    assertThat(feed(ClientFrames.frame(BINARY, new byte[LIMIT]))).isEmpty();
    assertThat(
            feed(
                ClientFrames.frame(false, TEXT, utf8("a".repeat(LIMIT - 10))),
                ClientFrames.frame(true, CONTINUATION, utf8("b".repeat(10)))))
        .isEmpty();
    assertThat(sink.events).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(ints = {TEXT, BINARY})
  void aDeclaredLengthOverTheLimitIsRefusedAtTheHeaderBeforeAnyPayload(int opcode) {
    assertViolation(
        feed(ClientFrames.header(true, opcode, LIMIT + 1)), 1009, "larger than 1024 bytes");
    assertThat(parser.bufferedBytes()).isZero();
    assertThat(sink.events).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {TEXT, BINARY})
  void fragmentsAddingUpPastTheLimitAreRefusedAtTheHeaderThatCrossesIt(int opcode) {
    assertThat(feed(ClientFrames.frame(false, opcode, new byte[1000]))).isEmpty();
    assertViolation(
        feed(ClientFrames.header(false, CONTINUATION, 25)), 1009, "larger than 1024 bytes");
    assertThat(sink.events).isEmpty();
  }

  @Test
  void aHugeDeclaredLengthIsRefusedAtTheHeader() {
    assertViolation(feed(ClientFrames.header(true, TEXT, 1L << 62)), 1009, "larger than");
  }

  @Test
  void aHeaderDeclaringTheLimitHoldsOnlyWhatArrived() {
    ClientFrameParser big = new ClientFrameParser(64 << 20);
    assertThat(big.feed(ByteBuffer.wrap(ClientFrames.header(true, BINARY, 64 << 20)), sink))
        .isEmpty();
    assertThat(big.feed(ByteBuffer.wrap(new byte[100]), sink)).isEmpty();
    assertThat(big.bufferedBytes()).isLessThanOrEqualTo(4096);
  }

  @Test
  void aLengthWithItsTopBitSetIsAProtocolError() {
    assertViolation(
        feed(ClientFrames.headerWithLongLength(BINARY, Long.MIN_VALUE)),
        1002,
        "most significant bit");
    assertViolation(
        new ClientFrameParser(LIMIT)
            .feed(ByteBuffer.wrap(ClientFrames.headerWithLongLength(TEXT, -1L)), sink),
        1002,
        "most significant bit");
  }

  @Test
  void lengthsNotInTheirShortestFormAreProtocolErrors() {
    assertViolation(
        feed(ClientFrames.withShortLengthForm(TEXT, utf8("hi"))), 1002, "shortest form");
    assertViolation(
        new ClientFrameParser(LIMIT)
            .feed(ByteBuffer.wrap(ClientFrames.headerWithLongLength(TEXT, 200)), sink),
        1002,
        "shortest form");
    assertThat(sink.events).isEmpty();
  }

  @Test
  void anUnmaskedFrameIsAProtocolError() {
    assertViolation(feed(ClientFrames.custom(0x80 | TEXT, false, utf8("hi"))), 1002, "masked");
  }

  @ParameterizedTest
  @ValueSource(ints = {0x40, 0x20, 0x10})
  void reservedBitsAreProtocolErrors(int rsv) {
    assertViolation(
        feed(ClientFrames.custom(0x80 | rsv | TEXT, true, utf8("hi"))), 1002, "Reserved bits");
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 7, 0xb, 0xf})
  void unknownOpcodesAreProtocolErrors(int opcode) {
    assertViolation(
        feed(ClientFrames.custom(0x80 | opcode, true, new byte[0])),
        1002,
        "Unknown opcode " + opcode);
  }

  @Test
  void controlFramesOver125BytesOrFragmentedAreProtocolErrors() {
    assertViolation(feed(ClientFrames.frame(PING, new byte[126])), 1002, "over 125 bytes");
    assertViolation(
        new ClientFrameParser(LIMIT)
            .feed(ByteBuffer.wrap(ClientFrames.frame(false, PING, new byte[1])), sink),
        1002,
        "Fragmented control frame");
  }

  @Test
  void aContinuationWithoutAStartIsAProtocolError() {
    assertViolation(
        feed(ClientFrames.frame(CONTINUATION, utf8("orphan"))), 1002, "Continuation frame without");
  }

  @Test
  void aNewDataFrameInsideAFragmentedMessageIsAProtocolError() {
    assertViolation(
        feed(ClientFrames.frame(false, TEXT, utf8("a")), ClientFrames.frame(BINARY, new byte[1])),
        1002,
        "New data frame inside");
  }

  @Test
  void invalidUtf8InATextMessageIsInvalidPayload() {
    assertViolation(
        feed(ClientFrames.frame(TEXT, new byte[] {(byte) 0xC3, (byte) 0x28})),
        1007,
        "Invalid UTF-8");
    assertThat(sink.events).isEmpty();
  }

  @Test
  void aCloseWithoutPayloadStandsFor1005AndEndsTheStream() {
    assertThat(
            feed(ClientFrames.frame(CLOSE, new byte[0]), ClientFrames.frame(TEXT, utf8("after"))))
        .isEmpty();
    assertThat(sink.events).containsExactly("close 1005 ");
  }

  @Test
  void aOneByteCloseIsAProtocolError() {
    assertViolation(feed(ClientFrames.frame(CLOSE, new byte[] {3})), 1002, "1-byte payload");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
  void invalidCloseCodesAreProtocolErrors(int code) {
    assertViolation(
        feed(ClientFrames.frame(CLOSE, ClientFrames.closePayload(code, new byte[0]))),
        1002,
        "Invalid close code " + code);
  }

  @ParameterizedTest
  @ValueSource(ints = {1000, 1001, 1003, 1007, 1011, 1013, 3000, 4999})
  void validCloseCodesArePassedOn(int code) {
    assertThat(feed(ClientFrames.frame(CLOSE, ClientFrames.closePayload(code, utf8("why")))))
        .isEmpty();
    assertThat(sink.events).containsExactly("close " + code + " why");
  }

  @Test
  void invalidUtf8InACloseReasonIsInvalidPayload() {
    assertViolation(
        feed(ClientFrames.frame(CLOSE, ClientFrames.closePayload(1000, new byte[] {(byte) 0xff}))),
        1007,
        "close reason");
  }

  @Test
  void nothingIsParsedAfterAViolation() {
    assertThat(
            feed(
                ClientFrames.custom(0x80 | 3, true, new byte[0]),
                ClientFrames.frame(TEXT, utf8("late"))))
        .isPresent();
    assertThat(sink.events).isEmpty();
  }
}
