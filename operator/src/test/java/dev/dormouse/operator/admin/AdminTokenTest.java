package dev.dormouse.operator.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AdminTokenTest {

  private static final String SECRET = "sixteen-bytes-or-more";
  private final AdminToken token = new AdminToken(SECRET.getBytes(StandardCharsets.UTF_8));

  @Test
  void onlyTheTokenAsABearerTokenIsAdmitted() {
    assertThat(token.admits("Bearer " + SECRET)).isTrue();
    assertThat(token.admits("bearer  " + SECRET + " ")).isTrue();

    assertThat(token.admits(null)).isFalse();
    assertThat(token.admits("")).isFalse();
    assertThat(token.admits("Bearer")).isFalse();
    assertThat(token.admits("Bearer ")).isFalse();
    assertThat(token.admits(SECRET)).isFalse();
    assertThat(token.admits("Basic " + SECRET)).isFalse();
    assertThat(token.admits("Bearer " + SECRET + "x")).isFalse();
    assertThat(token.admits("Bearer " + SECRET.substring(1))).isFalse();
  }

  @Test
  void aTokenShorterThanSixteenBytesIsRefusedAndNoneIsEverPrinted() {
    assertThatThrownBy(() -> new AdminToken("fifteen-bytes!!".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the admin token must hold at least 16 bytes");
    assertThat(token.toString()).doesNotContain(SECRET);
  }
}
