package dev.dormouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.admin.AdminAccess.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAccessTest {

  static final Optional<byte[]> TOKEN =
      Optional.of("the-admin-token-0123".getBytes(StandardCharsets.UTF_8));
  static final String RIGHT = "Bearer the-admin-token-0123";
  static final String WRONG = "Bearer the-admin-token-0124";

  @Test
  void outsideDevWithoutATokenEverythingIsOffAndSaysHowToTurnItOn() {
    AdminAccess access = AdminAccess.cluster(Optional.empty(), "set THE_VARIABLE");

    assertThat(access.check(false, null)).isEqualTo(Verdict.OFF);
    assertThat(access.check(true, RIGHT)).isEqualTo(Verdict.OFF);
    assertThat(access.refusal(Verdict.OFF))
        .hasValueSatisfying(
            error -> {
              assertThat(error.status()).isEqualTo(404);
              assertThat(error.message()).endsWith("set THE_VARIABLE");
            });
  }

  @Test
  void outsideDevWithATokenEveryRequestNeedsIt() {
    AdminAccess access = AdminAccess.cluster(TOKEN, "");

    assertThat(access.check(false, null)).isEqualTo(Verdict.NO_TOKEN);
    assertThat(access.check(true, null)).isEqualTo(Verdict.NO_TOKEN);
    assertThat(access.check(false, WRONG)).isEqualTo(Verdict.WRONG_TOKEN);
    assertThat(access.check(false, "Basic dGhlLWFkbWluLXRva2VuLTAxMjM="))
        .isEqualTo(Verdict.WRONG_TOKEN);
    assertThat(access.check(false, RIGHT)).isEqualTo(Verdict.ALLOWED);
    assertThat(access.check(true, "bearer the-admin-token-0123")).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void inDevReadsAreOpenAndOrdersNeedTheTokenOnlyIfOneIsSet() {
    AdminAccess open = AdminAccess.dev(Optional.empty());
    assertThat(open.check(false, null)).isEqualTo(Verdict.ALLOWED);
    assertThat(open.check(true, null)).isEqualTo(Verdict.ALLOWED);

    AdminAccess guarded = AdminAccess.dev(TOKEN);
    assertThat(guarded.check(false, null)).isEqualTo(Verdict.ALLOWED);
    assertThat(guarded.check(true, null)).isEqualTo(Verdict.NO_TOKEN);
    assertThat(guarded.check(true, WRONG)).isEqualTo(Verdict.WRONG_TOKEN);
    assertThat(guarded.check(true, RIGHT)).isEqualTo(Verdict.ALLOWED);
  }

  @Test
  void eachRefusalHasItsStatus() {
    AdminAccess access = AdminAccess.dev(TOKEN);
    assertThat(access.refusal(Verdict.ALLOWED)).isEmpty();
    assertThat(access.refusal(Verdict.NO_TOKEN).orElseThrow().status()).isEqualTo(401);
    assertThat(access.refusal(Verdict.WRONG_TOKEN).orElseThrow().status()).isEqualTo(403);
  }
}
