package dev.dormouse.js.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TextEncoder, TextDecoder (WHATWG Encoding), atob/btoa and the latin1 byte strings. */
class EncodingTest {

  private static GlobalsContext js;

  @BeforeAll
  static void start() {
    js = new GlobalsContext();
    js.eval("globalThis.bytes = (...b) => new Uint8Array(b);");
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  @Test
  void encodesMultiByteCharactersAndReplacesLoneSurrogates() {
    assertThat(js.string("return new TextEncoder().encode('aé€𝄞').join(',')"))
        .isEqualTo("97,195,169,226,130,172,240,157,132,158");
    assertThat(js.string("return new TextEncoder().encode('\\ud800x\\udc00').join(',')"))
        .isEqualTo("239,191,189,120,239,191,189");
    assertThat(
            js.string("const e = new TextEncoder(); return e.encoding + ' ' + e.encode().length"))
        .isEqualTo("utf-8 0");
    assertThat(js.string("return new TextEncoder().encode('abc').buffer.byteLength"))
        .isEqualTo("3");
  }

  @Test
  void encodeIntoStopsBeforeACharacterThatDoesNotFit() {
    assertThat(
            js.string(
                "const d = new Uint8Array(5); const r = new TextEncoder().encodeInto('a€b', d);"
                    + "const e = new Uint8Array(3); const s = new TextEncoder().encodeInto('a€', e);"
                    + "return [r.read, r.written, d.join(','), s.read, s.written].join(' ')"))
        .isEqualTo("3 5 97,226,130,172,98 1 1");
    assertThat(
            js.string(
                "const e = new TextEncoder(); const f = (s, n) => { const r = e.encodeInto(s, new Uint8Array(n));"
                    + " return r.read + '/' + r.written };"
                    + "return [f('a𝄞', 4), f('a𝄞', 5), f('\\ud800b', 4), f('', 2), f('abc', 0)].join(' ')"))
        .isEqualTo("1/1 3/5 2/4 0/0 0/0");
  }

  @Test
  void decodesValidUtf8() {
    assertThat(
            js.string(
                "return new TextDecoder().decode(bytes(97, 195, 169, 226, 130, 172, 240, 157, 132, 158))"))
        .isEqualTo("aé€𝄞");
    assertThat(js.string("return new TextDecoder().decode(bytes(104, 105).buffer)"))
        .isEqualTo("hi");
    assertThat(js.string("return new TextDecoder().decode(new DataView(bytes(0, 104).buffer, 1))"))
        .isEqualTo("h");
    assertThat(js.string("return '[' + new TextDecoder().decode() + ']'")).isEqualTo("[]");
  }

  @Test
  void invalidSequencesBecomeOneReplacementPerMaximalSubpart() {
    // The WHATWG decoder's cases: a lone continuation, a truncated sequence, an overlong form,
    // a surrogate's encoding, a code point past U+10FFFF.
    assertThat(
            js.string(
                "const d = new TextDecoder(); const show = (s) => Array.from(s, c =>"
                    + " c.codePointAt(0).toString(16)).join(' ');"
                    + "return [bytes(0x80), bytes(0xe2, 0x82), bytes(0xe2, 0x82, 0x41), bytes(0xc0, 0xaf),"
                    + " bytes(0xed, 0xa0, 0x80), bytes(0xf4, 0x90, 0x80, 0x80), bytes(0xff, 0x41)]"
                    + ".map(b => show(d.decode(b))).join(' | ')"))
        .isEqualTo(
            "fffd | fffd | fffd 41 | fffd fffd | fffd fffd fffd | fffd fffd fffd fffd | fffd 41");
  }

  @Test
  void fatalThrowsATypeErrorOnInvalidInput() {
    assertThat(js.thrown("new TextDecoder('utf-8', {fatal: true}).decode(bytes(0xe2, 0x82))"))
        .startsWith("TypeError: ");
    assertThat(
            js.string("return new TextDecoder('utf-8', {fatal: true}).decode(bytes(0xc3, 0xa9))"))
        .isEqualTo("é");
    assertThat(js.string("return new TextDecoder('utf-8', {fatal: true}).fatal")).isEqualTo("true");
  }

  @Test
  void theBomIsDroppedUnlessIgnoreBomIsSet() {
    assertThat(js.string("return new TextDecoder().decode(bytes(0xef, 0xbb, 0xbf, 0x41)).length"))
        .isEqualTo("1");
    assertThat(
            js.string(
                "return new TextDecoder('utf-8', {ignoreBOM: true}).decode(bytes(0xef, 0xbb, 0xbf, 0x41))"
                    + ".charCodeAt(0).toString(16)"))
        .isEqualTo("feff");
  }

  @Test
  void streamingKeepsASequenceCutBetweenChunks() {
    assertThat(
            js.string(
                "const d = new TextDecoder();"
                    + "return d.decode(bytes(0xef, 0xbb), {stream: true}) + d.decode(bytes(0xbf, 0xe2, 0x82), {stream: true})"
                    + " + d.decode(bytes(0xac, 0xf0, 0x9d), {stream: true}) + d.decode(bytes(0x84, 0x9e))"))
        .isEqualTo("€𝄞");
    assertThat(
            js.string(
                "const d = new TextDecoder(); d.decode(bytes(0xe2), {stream: true});"
                    + "return d.decode().codePointAt(0).toString(16)"))
        .isEqualTo("fffd");
  }

  @Test
  void labelsAndUtf16le() {
    assertThat(
            js.string(
                "return [new TextDecoder('UTF8').encoding, new TextDecoder(' unicode-1-1-utf-8 ').encoding,"
                    + " new TextDecoder('utf-16le').decode(bytes(0x68, 0, 0x3d, 0xd8, 0x00, 0xde))].join(' ')"))
        .isEqualTo("utf-8 utf-8 h😀");
    assertThat(js.thrown("new TextDecoder('shift_jis')")).startsWith("RangeError: ");
    assertThat(js.thrown("new TextDecoder().decode('not bytes')")).startsWith("TypeError: ");
  }

  @Test
  void btoaAndAtobRoundTripLatin1() {
    assertThat(
            js.string(
                "return [btoa(''), btoa('f'), btoa('fo'), btoa('foo'), btoa('\\xff\\x00')].join(' ')"))
        .isEqualTo(" Zg== Zm8= Zm9v /wA=");
    assertThat(
            js.string(
                "return [atob('Zm9v'), atob('Zg'), atob(' Zm 8=\\n'), atob('/wA=').charCodeAt(0)].join(' ')"))
        .isEqualTo("foo f fo 255");
  }

  @Test
  void badInputIsAnInvalidCharacterError() {
    assertThat(js.thrown("btoa('€')")).startsWith("InvalidCharacterError: ").endsWith("[5]");
    assertThat(js.thrown("atob('Zm9v!')")).startsWith("InvalidCharacterError: ");
    assertThat(js.thrown("atob('Z')")).startsWith("InvalidCharacterError: ");
    assertThat(js.thrown("atob('Zg===')")).startsWith("InvalidCharacterError: ");
    assertThat(js.thrown("atob('Zm9v=')")).startsWith("InvalidCharacterError: ");
    assertThat(js.thrown("atob('é')")).startsWith("InvalidCharacterError: ");
    assertThat(js.thrown("atob()")).startsWith("TypeError: ");
    assertThat(js.thrown("btoa()")).startsWith("TypeError: ");
  }

  @Test
  void latin1ByteStringsCrossEveryByte() {
    assertThat(
            js.string(
                "const all = new Uint8Array(256).map((_, i) => i);"
                    + "const s = __dormouse.bufferToLatin1(all); const back = new Uint8Array(__dormouse.latin1ToBuffer(s));"
                    + "return [s.length, s.charCodeAt(255), back.every((b, i) => b === i),"
                    + " __dormouse.bufferToLatin1(all.subarray(65, 67)), __dormouse.bufferToLatin1(all.buffer).length,"
                    + " __dormouse.latin1ToBuffer('') instanceof ArrayBuffer].join(' ')"))
        .isEqualTo("256 255 true AB 256 true");
    assertThat(
            js.string(
                "const big = new Uint8Array(100000).fill(66); return __dormouse.bufferToLatin1(big).length"))
        .isEqualTo("100000");
  }
}
