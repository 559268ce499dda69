package dev.dormouse.js.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DOMException, queueMicrotask, performance, navigator, and what the globals leave behind: no
 * enumerable globals, no {@code __host} or shared holder, and a frozen {@code __dormouse}.
 */
class PlatformTest {

  private GlobalsContext js;

  @BeforeEach
  void start() {
    js = new GlobalsContext();
  }

  @AfterEach
  void stop() {
    js.close();
  }

  @Test
  void domExceptionHasNameMessageCodeAndIsAnError() {
    assertThat(
            js.string(
                "const e = new DOMException('went wrong', 'NotFoundError');"
                    + "return [e instanceof Error, e instanceof DOMException, e.name, e.message, e.code,"
                    + " String(e), e.stack.split('\\n')[0], DOMException.NOT_FOUND_ERR,"
                    + " Object.prototype.toString.call(e)].join('|')"))
        .isEqualTo(
            "true|true|NotFoundError|went wrong|8|NotFoundError: went wrong|NotFoundError: went wrong"
                + "|8|[object DOMException]");
    assertThat(
            js.string(
                "const d = new DOMException(); const c = new DOMException('m', {name: 'AbortError', cause: 1});"
                    + "return [d.name, d.message, d.code, c.name, c.code, c.cause,"
                    + " new DOMException('x', 'Custom').code].join('|')"))
        .isEqualTo("Error||0|AbortError|20|1|0");
    assertThat(
            js.thrown(
                "Object.getOwnPropertyDescriptor(DOMException.prototype, 'name').get.call({})"))
        .startsWith("TypeError: ");
  }

  @Test
  void queueMicrotaskRunsInOrderAndReportsAThrowWithoutStoppingOthers() {
    assertThat(
            js.eval(
                    "globalThis.order = []; queueMicrotask(() => order.push(1));"
                        + " queueMicrotask(() => { throw new Error('boom') });"
                        + " queueMicrotask(() => order.push(2)); order.push(0); 'queued'")
                .asString())
        .isEqualTo("queued");
    assertThat(js.string("return order.join(',')")).isEqualTo("0,1,2");
    assertThat(js.logged).hasSize(1);
    assertThat(js.logged.get(0)).startsWith("error Uncaught (in microtask) Error: boom");
    assertThat(js.thrown("queueMicrotask('not a function')")).startsWith("TypeError: ");
  }

  @Test
  void performanceNowCountsFromTheContextsStart() {
    assertThat(
            js.string(
                "const a = performance.now(); const until = Date.now() + 5; while (Date.now() < until) {}"
                    + "const b = performance.now();"
                    + "return [a >= 0, b >= a + 5, Math.abs(performance.timeOrigin + b - Date.now()) < 50].join(' ')"))
        .isEqualTo("true true true");
  }

  @Test
  void navigatorSaysDormouse() {
    assertThat(js.string("return navigator.userAgent + ' ' + navigator.hardwareConcurrency"))
        .isEqualTo("Dormouse 1");
  }

  @Test
  void theGlobalsLeaveOnlyWhatWorkersHave() {
    assertThat(
            js.string(
                "return [Object.keys(globalThis).length, typeof __host, typeof __dormouseInternal,"
                    + " Object.getOwnPropertyDescriptor(globalThis, '__dormouse').enumerable,"
                    + " Object.getOwnPropertyDescriptor(globalThis, '__dormouse').writable,"
                    + " Object.isFrozen(__dormouse), Object.keys(__dormouse).sort().join(',')].join(' ')"))
        .isEqualTo(
            "0 undefined undefined false false true"
                + " bufferToLatin1,deserialize,latin1ToBuffer,requestFrom,responseParts,serialize");
    assertThat(
            js.string(
                "return ['Headers', 'Request', 'Response', 'URL', 'URLSearchParams', 'TextEncoder',"
                    + " 'TextDecoder', 'atob', 'btoa', 'crypto', 'structuredClone', 'DOMException', 'console',"
                    + " 'queueMicrotask', 'performance', 'navigator']"
                    + ".filter(n => globalThis[n] === undefined).join(',') || 'all there'"))
        .isEqualTo("all there");
  }

  @Test
  void roomCodeCannotReplaceTheRuntimesInternals() {
    assertThat(
            js.string(
                "'use strict'; const tries = [() => { __dormouse.serialize = () => 'x' },"
                    + " () => { globalThis.__dormouse = {} }, () => { delete globalThis.__dormouse }];"
                    + "return tries.map(t => { try { t(); return 'changed' } catch (e) { return e.name } })"
                    + ".join(' ') + ' ' + __dormouse.serialize(1)"))
        .isEqualTo("TypeError TypeError TypeError 1");
  }

  @Test
  void globalsCaptureWhatTheyUseSoReplacingAGlobalBreaksNothingInside() {
    assertThat(
            js.string(
                "globalThis.URL = function () { throw new Error('replaced') };"
                    + "globalThis.Headers = null; globalThis.btoa = null;"
                    + "const r = new Request('https://x/a', {headers: {a: '1'}});"
                    + "return r.url + ' ' + r.headers.get('a') + ' ' + __dormouse.serialize(new ArrayBuffer(1))"))
        .isEqualTo("https://x/a 1 {\"$B\":\"AA==\"}");
  }
}
