package dev.dormouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketHandshakeTest {

  @Test
  void acceptIsTheRfcExample() {
    assertThat(WebSocketHandshake.accept("dGhlIHNhbXBsZSBub25jZQ=="))
        .isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  }

  @Test
  void aKeyIsTheBase64OfSixteenBytes() {
    assertThat(WebSocketHandshake.validKey(List.of("dGhlIHNhbXBsZSBub25jZQ=="))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not base64 at all!!!!!!!",
        "dGhlIHNhbXBsZSBub25jZQ",
        "dGhlIHNhbXBsZSBub25jZWVl",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "dGhlIHNhbXBsZSBub25j===="
      })
  void otherKeysAreNot(String key) {
    assertThat(WebSocketHandshake.validKey(List.of(key))).isFalse();
  }

  @Test
  void twoKeysAreNotOne() {
    assertThat(
            WebSocketHandshake.validKey(
                List.of("dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ==")))
        .isFalse();
    assertThat(WebSocketHandshake.validKey(null)).isFalse();
  }

  @Test
  void theUpgradeTokenIsFoundAmongOthers() {
    assertThat(WebSocketHandshake.hasToken(List.of("keep-alive, Upgrade"), "upgrade")).isTrue();
    assertThat(WebSocketHandshake.hasToken(List.of("keep-alive"), "upgrade")).isFalse();
  }
}
