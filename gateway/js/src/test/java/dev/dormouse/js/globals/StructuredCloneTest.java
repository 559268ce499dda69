package dev.dormouse.js.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code __dormouse.serialize/deserialize} (attachments and storage values) and {@code
 * structuredClone}: HTML's structured clone, each type round-tripped through the string.
 */
class StructuredCloneTest {

  private static GlobalsContext js;

  @BeforeAll
  static void start() {
    js = new GlobalsContext();
    js.eval(
        "globalThis.roundTrip = (v) => __dormouse.deserialize(__dormouse.serialize(v));"
            + "globalThis.describe = (v) => Object.prototype.toString.call(v);");
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  @Test
  void jsonValuesAreStoredAsTheirPlainJson() {
    assertThat(js.string("return __dormouse.serialize({a: [1, 'x', true, null], b: {c: 2.5}})"))
        .isEqualTo("{\"a\":[1,\"x\",true,null],\"b\":{\"c\":2.5}}");
    assertThat(
            js.string("return JSON.stringify(roundTrip({a: [1, 'x', true, null], b: {c: 2.5}}))"))
        .isEqualTo("{\"a\":[1,\"x\",true,null],\"b\":{\"c\":2.5}}");
  }

  @Test
  void specialNumbersUndefinedAndBigIntSurvive() {
    assertThat(
            js.string(
                "const v = roundTrip([NaN, Infinity, -Infinity, -0, 0, undefined, 12345678901234567890n]);"
                    + "return [Number.isNaN(v[0]), v[1], v[2], Object.is(v[3], -0),"
                    + " Object.is(v[4], 0), v.length, 5 in v, v[5], typeof v[6], v[6]].join(' ')"))
        .isEqualTo("true Infinity -Infinity true true 7 true  bigint 12345678901234567890");
  }

  @Test
  void undefinedPropertiesStay() {
    assertThat(
            js.string("const v = roundTrip({a: undefined}); return 'a' in v && v.a === undefined"))
        .isEqualTo("true");
  }

  @Test
  void dateRegExpMapAndSetSurvive() {
    assertThat(
            js.string(
                "const v = roundTrip({d: new Date(1700000000123), bad: new Date(NaN), r: /a+b/gi,"
                    + " m: new Map([[{k: 1}, 'obj'], ['s', new Set([1, 'two'])]])});"
                    + "const [[key, value], [s, set]] = [...v.m];"
                    + "return [v.d instanceof Date, v.d.getTime(), isNaN(v.bad), v.r.source, v.r.flags,"
                    + " v.r.lastIndex, key.k, value, s, set instanceof Set, [...set].join('+')].join(' ')"))
        .isEqualTo("true 1700000000123 true a+b gi 0 1 obj s true 1+two");
  }

  @Test
  void arrayBuffersAndEveryViewTypeSurvive() {
    assertThat(
            js.string(
                "const buf = new Uint8Array([0, 1, 127, 128, 255]).buffer;"
                    + "const v = roundTrip(buf);"
                    + "return describe(v) + ' ' + new Uint8Array(v).join(',')"))
        .isEqualTo("[object ArrayBuffer] 0,1,127,128,255");
    assertThat(
            js.string(
                "const types = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array,"
                    + " Int32Array, Uint32Array, Float32Array, Float64Array];"
                    + "return types.map(T => { const v = roundTrip(new T([1, -2, 3]));"
                    + " return v.constructor.name + ':' + v.join(',') }).join(' ')"))
        .isEqualTo(
            "Int8Array:1,-2,3 Uint8Array:1,254,3 Uint8ClampedArray:1,0,3 Int16Array:1,-2,3"
                + " Uint16Array:1,65534,3 Int32Array:1,-2,3 Uint32Array:1,4294967294,3"
                + " Float32Array:1,-2,3 Float64Array:1,-2,3");
    assertThat(
            js.string(
                "const v = roundTrip([new BigInt64Array([-5n]), new BigUint64Array([5n])]);"
                    + "return v.map(x => x.constructor.name + ':' + x[0]).join(' ')"))
        .isEqualTo("BigInt64Array:-5 BigUint64Array:5");
  }

  @Test
  void viewsKeepTheirOffsetsAndShareTheirBuffer() {
    assertThat(
            js.string(
                "const buf = new ArrayBuffer(8);"
                    + "const a = new Uint8Array(buf, 2, 3); const d = new DataView(buf, 4);"
                    + "a[0] = 7; d.setUint8(0, 9);"
                    + "const [a2, d2] = roundTrip([a, d]);"
                    + "a2[2] = 42;"
                    + "return [a2.buffer === d2.buffer, a2.byteOffset, a2.length, describe(d2),"
                    + " d2.byteOffset, d2.byteLength, d2.getUint8(0), a2[0]].join(' ')"))
        .isEqualTo("true 2 3 [object DataView] 4 4 42 7");
  }

  @Test
  void errorsKeepTheirTypeAndMessage() {
    assertThat(
            js.string(
                "const v = roundTrip([new TypeError('bad'), new RangeError('far'), new Error(),"
                    + " new (class MyError extends Error {})('mine'), new DOMException('m', 'DataCloneError')]);"
                    + "return v.map(e => [e instanceof Error, e.name, e.message, 'message' in e"
                    + "  && Object.hasOwn(e, 'message')].join('/')).join(' ')"))
        .isEqualTo(
            "true/TypeError/bad/true true/RangeError/far/true true/Error//false"
                + " true/Error/mine/true true/DataCloneError/m/false");
    assertThat(js.string("return roundTrip(new DOMException('m', 'DataCloneError')).code"))
        .isEqualTo("25");
  }

  @Test
  void primitiveWrappersSurvive() {
    assertThat(
            js.string(
                "const v = roundTrip([new Boolean(false), new Number(-0), new String('s'), Object(3n)]);"
                    + "return v.map(x => typeof x + ':' + describe(x) + ':' + String(x.valueOf())).join(' ')"
                    + " + ' ' + Object.is(v[1].valueOf(), -0)"))
        .isEqualTo(
            "object:[object Boolean]:false object:[object Number]:0 object:[object String]:s"
                + " object:[object BigInt]:3 true");
  }

  @Test
  void sharedAndCyclicReferencesAreKept() {
    assertThat(
            js.string(
                "const shared = {n: 1}; const o = {a: shared, b: shared, list: [shared]};"
                    + "o.self = o; o.list.push(o.list);"
                    + "const m = new Map(); m.set('me', m); o.m = m;"
                    + "const v = roundTrip(o);"
                    + "return [v.a === v.b, v.list[0] === v.a, v.self === v, v.list[1] === v.list,"
                    + " v.m.get('me') === v.m, v.a !== shared].join(' ')"))
        .isEqualTo("true true true true true true");
  }

  @Test
  void sparseArraysAndExtraPropertiesAreKept() {
    assertThat(
            js.string(
                "const a = [1, , 3]; a.extra = 'x';"
                    + "const v = roundTrip(a);"
                    + "return [Array.isArray(v), v.length, 1 in v, v[2], v.extra].join(' ')"))
        .isEqualTo("true 3 false 3 x");
  }

  @Test
  void keysThatLookLikeTagsAndProtoStayPlainData() {
    assertThat(
            js.string(
                "const v = roundTrip({$r: 0}); const w = roundTrip({$D: 1, x: 2});"
                    + "const p = roundTrip(JSON.parse('{\"__proto__\": {\"polluted\": 1}}'));"
                    + "return [JSON.stringify(v), JSON.stringify(w), Object.getPrototypeOf(p) === Object.prototype,"
                    + " p.polluted, Object.hasOwn(p, '__proto__'), ({}).polluted].join(' ')"))
        .isEqualTo("{\"$r\":0} {\"$D\":1,\"x\":2} true  true ");
  }

  @Test
  void classInstancesCloneAsPlainObjectsWithTheirOwnData() {
    assertThat(
            js.string(
                "class P { constructor() { this.x = 1 } get y() { return 2 } };"
                    + "const v = roundTrip(new P());"
                    + "return [Object.getPrototypeOf(v) === Object.prototype, v.x, v.y].join(' ')"))
        .isEqualTo("true 1 ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "() => 1",
        "Symbol('s')",
        "{f: function () {}}",
        "new WeakMap()",
        "Promise.resolve()",
        "new Headers()",
        "new Request('https://example.com/')",
        "new Response('x')",
        "new URL('https://example.com/')",
        "crypto",
        "new SharedArrayBuffer(1)"
      })
  void nonCloneableValuesThrowDataCloneError(String value) {
    assertThat(js.thrown("__dormouse.serialize(" + value + ")")).startsWith("DataCloneError: ");
    assertThat(js.thrown("structuredClone(" + value + ")")).endsWith(" [25]");
  }

  @Test
  void structuredCloneGivesAnEqualButSeparateValue() {
    assertThat(
            js.string(
                "const o = {d: new Date(5), m: new Map([[1, {x: 1}]])}; const c = structuredClone(o);"
                    + "c.m.get(1).x = 2;"
                    + "return [c !== o, c.d.getTime(), o.m.get(1).x].join(' ')"))
        .isEqualTo("true 5 1");
    assertThat(js.thrown("structuredClone()")).startsWith("TypeError: ");
    assertThat(js.thrown("structuredClone(new ArrayBuffer(1), {transfer: [new ArrayBuffer(1)]})"))
        .startsWith("DataCloneError: ");
  }

  @Test
  void aCorruptStringIsRefused() {
    assertThat(js.thrown("__dormouse.deserialize('{not json')")).startsWith("DataCloneError: ");
    assertThat(js.thrown("__dormouse.deserialize('{\"$zz\": 1}')")).startsWith("DataCloneError: ");
    assertThat(js.thrown("__dormouse.deserialize('{\"$r\": 7}')")).startsWith("DataCloneError: ");
  }

  @Test
  void stringsWithAnyCodeUnitRoundTrip() {
    assertThat(
            js.string(
                "const s = 'a\\u0000\"\\\\\\n\\ud800 é 𝄞'; return roundTrip(s) === s"
                    + " && roundTrip({[s]: s})[s] === s"))
        .isEqualTo("true");
  }
}
