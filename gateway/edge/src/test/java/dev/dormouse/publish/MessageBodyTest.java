package dev.dormouse.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageBodyTest {

  @Test
  void textAndJsonInUtf8AreTextFramesAndOctetStreamsBinaryOnes() {
    assertThat(MessageBody.of("text/plain")).contains(MessageBody.TEXT);
    assertThat(MessageBody.of("text/markdown; charset=UTF-8")).contains(MessageBody.TEXT);
    assertThat(MessageBody.of("Application/JSON;charset=\"utf-8\"")).contains(MessageBody.TEXT);
    assertThat(MessageBody.of("application/octet-stream")).contains(MessageBody.BINARY);
  }

  @Test
  void otherTypesAndCharsetsAreRefused() {
    assertThat(MessageBody.of(null)).isEmpty();
    assertThat(MessageBody.of("image/png")).isEmpty();
    assertThat(MessageBody.of("application/x-www-form-urlencoded")).isEmpty();
    assertThat(MessageBody.of("text/plain; charset=iso-8859-1")).isEmpty();
    assertThat(MessageBody.of("text/plain; charset")).isEmpty();
  }

  @Test
  void aTextBodyMustBeValidUtf8() {
    assertThat(MessageBody.TEXT.accepts("héllo".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(MessageBody.TEXT.accepts(new byte[] {(byte) 0xc3})).isFalse();
    assertThat(MessageBody.BINARY.accepts(new byte[] {(byte) 0xc3})).isTrue();
  }
}
