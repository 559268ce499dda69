package dev.dormouse.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PublishTokenTest {

  final PublishToken token =
      new PublishToken("s3cret-token-0123456789".getBytes(StandardCharsets.UTF_8));

  @Test
  void theBearerTokenIsAdmittedWhateverTheSchemesCase() {
    assertThat(token.admits("Bearer s3cret-token-0123456789")).isTrue();
    assertThat(token.admits("bearer s3cret-token-0123456789")).isTrue();
    assertThat(token.admits("BEARER s3cret-token-0123456789 ")).isTrue();
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(token.admits(null)).isFalse();
    assertThat(token.admits("")).isFalse();
    assertThat(token.admits("Bearer ")).isFalse();
    assertThat(token.admits("Bearer s3cret-token-012345678")).isFalse();
    assertThat(token.admits("Bearer s3cret-token-01234567890")).isFalse();
    assertThat(token.admits("Bearer S3CRET-TOKEN-0123456789")).isFalse();
    assertThat(token.admits("Basic s3cret-token-0123456789")).isFalse();
    assertThat(token.admits("s3cret-token-0123456789")).isFalse();
  }

  @Test
  void anEmptyTokenIsNoToken() {
    assertThatThrownBy(() -> new PublishToken(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
