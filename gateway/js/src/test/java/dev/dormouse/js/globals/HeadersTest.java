package dev.dormouse.js.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Headers as Fetch defines them and workerd has them. */
class HeadersTest {

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
  void namesAreCaseInsensitiveAndValuesOfOneNameCombine() {
    assertThat(
            js.string(
                "const h = new Headers({'Content-Type': 'text/plain'});"
                    + "h.append('X-Many', 'a'); h.append('x-many', 'b');"
                    + "return [h.get('content-type'), h.get('CONTENT-TYPE'), h.has('X-MANY'),"
                    + " h.get('x-many'), h.get('missing')].join('|')"))
        .isEqualTo("text/plain|text/plain|true|a, b|");
    assertThat(js.string("return new Headers().get('missing') === null")).isEqualTo("true");
  }

  @Test
  void iterationIsSortedLowerCaseAndCombined() {
    assertThat(
            js.string(
                "const h = new Headers([['B', '2'], ['a', '1'], ['b', '3']]);"
                    + "return JSON.stringify([...h]) + ' ' + [...h.keys()] + ' ' + [...h.values()]"))
        .isEqualTo("[[\"a\",\"1\"],[\"b\",\"2, 3\"]] a,b 1,2, 3");
    assertThat(
            js.string(
                "const seen = []; new Headers({y: '1', x: '2'}).forEach((v, k, h) =>"
                    + " seen.push(k + '=' + v + ':' + (h instanceof Headers))); return seen.join(' ')"))
        .isEqualTo("x=2:true y=1:true");
  }

  @Test
  void setCookieValuesStayApart() {
    assertThat(
            js.string(
                "const h = new Headers(); h.append('Set-Cookie', 'a=1'); h.append('set-cookie', 'b=2');"
                    + "return JSON.stringify([h.getSetCookie(), h.getAll('Set-Cookie'), [...h],"
                    + " h.get('set-cookie')])"))
        .isEqualTo(
            "[[\"a=1\",\"b=2\"],[\"a=1\",\"b=2\"],[[\"set-cookie\",\"a=1\"],[\"set-cookie\",\"b=2\"]],"
                + "\"a=1, b=2\"]");
    assertThat(js.thrown("new Headers().getAll('x')")).startsWith("TypeError: ");
  }

  @Test
  void setReplacesAndDeleteRemoves() {
    assertThat(
            js.string(
                "const h = new Headers([['a', '1'], ['A', '2']]); h.set('a', '3'); h.set('b', '4');"
                    + "h.delete('B'); return JSON.stringify([...h])"))
        .isEqualTo("[[\"a\",\"3\"]]");
  }

  @Test
  void valuesAreTrimmedAndBadNamesOrValuesRefused() {
    assertThat(js.string("return '[' + new Headers({a: ' \\t x y \\n'}).get('a') + ']'"))
        .isEqualTo("[x y]");
    assertThat(js.thrown("new Headers({'bad name': 'x'})"))
        .startsWith("TypeError: Invalid header name");
    assertThat(js.thrown("new Headers().set('', 'x')"))
        .startsWith("TypeError: Invalid header name");
    assertThat(js.thrown("new Headers({a: 'x\\ny'})"))
        .startsWith("TypeError: Invalid header value");
    assertThat(js.thrown("new Headers({a: 'x\\u0000'})"))
        .startsWith("TypeError: Invalid header value");
    assertThat(js.thrown("new Headers([['a']])")).startsWith("TypeError: ");
    assertThat(js.thrown("new Headers(['ab'])")).startsWith("TypeError: ");
  }

  @Test
  void copiesAreIndependent() {
    assertThat(
            js.string(
                "const a = new Headers({x: '1'}); const b = new Headers(a); b.append('x', '2');"
                    + "return a.get('x') + ' ' + b.get('x')"))
        .isEqualTo("1 1, 2");
  }

  @Test
  void anIncomingRequestsHeadersAreImmutable() {
    assertThat(
            js.thrown(
                "__dormouse.requestFrom({url: 'https://x/', method: 'GET', headers: [['a', '1']],"
                    + " body: null}).headers.set('a', '2')"))
        .isEqualTo("TypeError: Can't modify immutable headers.");
    assertThat(js.thrown("Response.redirect('https://x/').headers.append('a', '1')"))
        .isEqualTo("TypeError: Can't modify immutable headers.");
  }
}
