package dev.dormouse.js.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** console: each method to the host's log at its level, arguments formatted as Node does. */
class ConsoleTest {

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
  void eachMethodLogsAtItsLevel() {
    js.eval(
        "console.log('l'); console.info('i'); console.warn('w'); console.error('e'); console.debug('d')");
    assertThat(js.logged).containsExactly("info l", "info i", "warn w", "error e", "debug d");
  }

  @Test
  void substitutionsAndExtraArguments() {
    js.eval(
        "console.log('%s is %d years, %i%%, %f, %j %c!', 'Ann', 42.5, 7.9, '1.5', {a: 1}, 'color: red', 'extra', 3);"
            + "console.log('%s and %s', 'only one');"
            + "console.log(1, 'two', null, undefined, -0, 5n, Symbol('s'))");
    assertThat(js.logged)
        .containsExactly(
            "info Ann is 42.5 years, 7%, 1.5, {\"a\":1} ! extra 3",
            "info only one and %s", "info 1 two null undefined -0 5n Symbol(s)");
  }

  @Test
  void objectsAreInspected() {
    js.eval(
        "const o = {a: 1, 'b-c': 'x', nested: {deep: {deeper: {deepest: 1}}}, list: [1, 'two']};"
            + "o.self = o;"
            + "console.log(o);"
            + "console.log(new Map([['k', {v: 1}]]), new Set([1]), [], {}, new Uint8Array([1, 2]));"
            + "console.log(function named() {}, () => 1, new Date(0), /x/g, new (class Point { constructor() { this.x = 1 } }));"
            + "console.log(new Headers({b: '2', a: '1'}), new URL('https://x/y'), new Response('', {status: 201}));"
            + "console.log('%o', 'str')");
    assertThat(js.logged)
        .containsExactly(
            "info { a: 1, 'b-c': 'x', nested: { deep: { deeper: [Object] } }, list: [ 1, 'two' ],"
                + " self: [Circular] }",
            "info Map(1) { 'k' => { v: 1 } } Set(1) { 1 } [] {} Uint8Array(2) [ 1, 2 ]",
            "info [Function: named] [Function: (anonymous)] 1970-01-01T00:00:00.000Z /x/g"
                + " Point { x: 1 }",
            "info Headers { 'a' => '1', 'b' => '2' } URL 'https://x/y' Response { status: 201,"
                + " statusText: 'Created' }",
            "info 'str'");
  }

  @Test
  void errorsShowTheirStack() {
    js.eval("console.error('failed:', new TypeError('bad thing'))");
    assertThat(js.logged).hasSize(1);
    assertThat(js.logged.get(0)).startsWith("error failed: TypeError: bad thing\n    at ");
  }

  @Test
  void assertLogsOnlyWhenFalse() {
    js.eval("console.assert(true, 'no'); console.assert(1 === 2, 'math is %s', 'broken')");
    assertThat(js.logged).containsExactly("error Assertion failed: math is broken");
  }

  @Test
  void bigArraysAreCut() {
    js.eval("console.log(Array.from({length: 102}, (_, i) => i))");
    assertThat(js.logged.get(0)).endsWith("98, 99, ... 2 more items ]");
  }
}
