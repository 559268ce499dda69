package dev.dormouse.js.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** crypto.randomUUID() and crypto.getRandomValues(), from the host's randomBytes. */
class CryptoTest {

  private static GlobalsContext js;

  @BeforeAll
  static void start() {
    js = new GlobalsContext();
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  @Test
  void randomUuidsAreVersion4AndDistinct() {
    assertThat(
            js.string(
                "const ids = Array.from({length: 200}, () => crypto.randomUUID());"
                    + "return ids.every(id => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))"
                    + " + ' ' + new Set(ids).size"))
        .isEqualTo("true 200");
  }

  @Test
  void getRandomValuesFillsTheViewInPlace() {
    assertThat(
            js.string(
                "const a = new Uint32Array(64); const r = crypto.getRandomValues(a);"
                    + "const b = new Uint8Array(16); const sub = b.subarray(4, 8); crypto.getRandomValues(sub);"
                    + "return [r === a, a.some(x => x !== 0), b.slice(0, 4).every(x => x === 0),"
                    + " b.slice(8).every(x => x === 0), new Set(a).size > 60,"
                    + " crypto.getRandomValues(new BigInt64Array(2)).length].join(' ')"))
        .isEqualTo("true true true true true 2");
  }

  @Test
  void floatArraysAndMoreThan64KiBAreRefused() {
    assertThat(js.thrown("crypto.getRandomValues(new Float64Array(1))"))
        .startsWith("TypeMismatchError: ");
    assertThat(js.thrown("crypto.getRandomValues(new DataView(new ArrayBuffer(1)))"))
        .startsWith("TypeMismatchError: ");
    assertThat(js.thrown("crypto.getRandomValues(new Uint8Array(65537))"))
        .startsWith("QuotaExceededError: ")
        .endsWith("[22]");
    assertThat(js.string("return crypto.getRandomValues(new Uint8Array(65536)).length"))
        .isEqualTo("65536");
    assertThat(js.thrown("new crypto.constructor()")).startsWith("TypeError: ");
  }
}
