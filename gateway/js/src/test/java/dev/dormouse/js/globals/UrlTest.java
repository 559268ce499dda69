package dev.dormouse.js.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * URL and URLSearchParams against the WHATWG URL standard: cases in the manner of the WPT
 * urltestdata (special schemes, hosts, percent-encoding, relative resolution, failures), the
 * setters, and a URL's live searchParams.
 */
class UrlTest {

  private static GlobalsContext js;

  @BeforeAll
  static void start() {
    js = new GlobalsContext();
    js.eval(
        "globalThis.href = (input, base) => { try { return new URL(input, base || undefined).href }"
            + " catch (e) { return e.name } };");
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  /** The href parsed from input against base; CSV cannot hold tabs and newlines, so they are named. */
  private static String href(String input, String base) {
    String raw = input == null ? "" : input.replace("<TAB>", "\t").replace("<LF>", "\n");
    return js.eval("href").execute(raw, base == null ? "" : base).asString();
  }

  @ParameterizedTest(name = "{0} against {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        // whitespace, case, default ports, dot segments
        "http://example<TAB>.<LF>org|http://example.org/foo/bar|http://example.org/",
        "  HTTP://EXAMPLE.com:80/a/./b/../c  ||http://example.com/a/c",
        "https://x:443/||https://x/",
        "ws://x:80/||ws://x/",
        "wss://x:443/p||wss://x/p",
        "http://f:00000000000000000000080/c||http://f/c",
        "http://f:0/c||http://f:0/c",
        "http://f:/c||http://f/c",
        "http://user:pass@foo:21/bar;par?b#c||http://user:pass@foo:21/bar;par?b#c",
        "https://test:@test||https://test@test/",
        "https://:@test||https://test/",
        "http://&a:foo(b]c@d:2/||http://&a:foo(b%5Dc@d:2/",
        "http://::@c@d:2||http://:%3A%40c@d:2/",
        "http://a/%2e/b/%2E%2e/c||http://a/c",
        "http://a/b/..||http://a/",
        "http://a/b/.||http://a/b/",
        // relative resolution
        "http:foo.com|http://example.org/foo/bar|http://example.org/foo/foo.com",
        "<TAB>   :foo.com   <LF>|http://example.org/foo/bar|http://example.org/foo/:foo.com",
        "|http://example.org/foo/bar|http://example.org/foo/bar",
        "#|http://example.org/foo/bar|http://example.org/foo/bar#",
        "?|http://example.org/foo/bar|http://example.org/foo/bar?",
        "?x|http://example.org/foo/bar?y#z|http://example.org/foo/bar?x",
        "#frag|http://example.org/foo/bar?y|http://example.org/foo/bar?y#frag",
        "/|http://example.org/foo/bar|http://example.org/",
        "\\x|http://example.org/foo/bar|http://example.org/x",
        "\\\\x\\hello|http://example.org/foo/bar|http://x/hello",
        "//other/p|https://example.org/foo|https://other/p",
        "../../../z|http://a/b/c/d|http://a/z",
        "g;x?y#s|http://a/b/c/d;p?q|http://a/b/c/g;x?y#s",
        "http::@c:29|http://example.org/foo/bar|http://example.org/foo/:@c:29",
        "ws:x|ws://a/b|ws://a/x",
        // percent-encoding in each part
        "http://f:21/ b ? d # e |http://example.org/foo/bar|http://f:21/%20b%20?%20d%20#%20e",
        "http://x/é?é#é||http://x/%C3%A9?%C3%A9#%C3%A9",
        "http://x/a'b?c'd||http://x/a'b?c%27d",
        "foo://x/a'b?c'd||foo://x/a'b?c'd",
        "http://x/<>\"`{}||http://x/%3C%3E%22%60%7B%7D",
        "http://x/%zz%41||http://x/%zz%41",
        "http://x/\ud83d\ude00||http://x/%F0%9F%98%80",
        // hosts: IPv4, IPv6, IDN, forbidden code points
        "http://192.168.0.257||Failure",
        "http://0x7f.1/||http://127.0.0.1/",
        "http://0177.0.0.1/||http://127.0.0.1/",
        "http://2130706433/||http://127.0.0.1/",
        "http://4294967296/||Failure",
        "http://1.2.3.4.5/||Failure",
        "http://[::1]:8080/||http://[::1]:8080/",
        "http://[0:0:0:0:0:0:0:1]/||http://[::1]/",
        "http://[1:0:0:2:0:0:0:3]/||http://[1:0:0:2::3]/",
        "http://[::ffff:192.168.1.1]/||http://[::ffff:c0a8:101]/",
        "http://[1::2::3]/||Failure",
        "http://[::1/||Failure",
        "http://ExAmPlE.CoM./||http://example.com./",
        "http://%41.com/||http://a.com/",
        "http://bücher.de/||http://xn--bcher-kva.de/",
        "http://例え.テスト/||http://xn--r8jz45g.xn--zckzah/",
        "http://ＧＯＯ.com/||http://goo.com/",
        "http://a b/||Failure",
        "http://a<b/||Failure",
        "http://a%25b/||Failure",
        "http:///||Failure",
        "http://@/www.example.com||Failure",
        "http://f:999999/c||Failure",
        "http://f:b/c||Failure",
        "non-special://f:999999/c||Failure",
        "https://x:65535/||https://x:65535/",
        // non-special schemes and opaque paths
        "lolscheme:x x#x x||lolscheme:x x#x%20x",
        "mailto:a@b.c||mailto:a@b.c",
        "data:text/plain,a b||data:text/plain,a b",
        "foo://||foo://",
        "foo://ho st/||Failure",
        "non-special://test:@test/x||non-special://test@test/x",
        "sc://ñ.test/||sc://%C3%B1.test/",
        "sc:/a/../b||sc:/b",
        "web+demo:/.//not-a-host/||web+demo:/.//not-a-host/",
        "#x|mailto:a@b|mailto:a@b#x",
        "x|mailto:a@b|Failure",
        "blob:https://a/b||blob:https://a/b",
        // file
        "file:///C:/a/../..||file:///C:/",
        "file://localhost/x||file:///x",
        "file:c:\\foo\\bar||file:///c:/foo/bar",
        "file://host/share/x||file://host/share/x",
        "..|file:///C:/a/b|file:///C:/",
        "/x|file:///C:/a/b|file:///C:/x",
        // failures
        "||Failure",
        "//x||Failure",
        "/relative||Failure",
        "http://[www.google.com]/||Failure",
      })
  void parsesAsTheStandardSays(String input, String base, String expected) {
    assertThat(href(input, base)).isEqualTo(expected.equals("Failure") ? "TypeError" : expected);
  }

  @Test
  void componentsAndOrigin() {
    assertThat(
            js.string(
                "const u = new URL('https://user:pw@Example.com:8443/p/a%20th?q=1&r#frag');"
                    + "return [u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname,"
                    + " u.search, u.hash, u.origin, String(u), JSON.stringify({u})].join(' ')"))
        .isEqualTo(
            "https: user pw example.com:8443 example.com 8443 /p/a%20th ?q=1&r #frag"
                + " https://example.com:8443 https://user:pw@example.com:8443/p/a%20th?q=1&r#frag"
                + " {\"u\":\"https://user:pw@example.com:8443/p/a%20th?q=1&r#frag\"}");
    assertThat(
            js.string(
                "return [new URL('ws://x:81').origin, new URL('mailto:x').origin,"
                    + " new URL('blob:https://a.b:1/c').origin, new URL('file:///x').origin,"
                    + " new URL('http://x/?').search, new URL('http://x/#').hash].join(' ')"))
        .isEqualTo("ws://x:81 null https://a.b:1 null  ");
  }

  @Test
  void canParseAndParse() {
    assertThat(
            js.string(
                "return [URL.canParse('https://x/'), URL.canParse('/x'), URL.canParse('/x', 'https://y/'),"
                    + " URL.canParse('x', 'not a base'), URL.parse('/z', 'https://y/a').href,"
                    + " URL.parse('nope')].join(' ')"))
        .isEqualTo("true false true false https://y/z ");
    assertThat(js.thrown("new URL('x', 'not a base')")).startsWith("TypeError: Invalid URL");
  }

  @Test
  void settersChangeOnePartAndIgnoreWhatTheyCannotSet() {
    assertThat(
            js.string(
                "const u = new URL('http://a.com/p?q#h');"
                    + "u.protocol = 'https'; const p1 = u.href;"
                    + "u.protocol = 'foo'; const p2 = u.protocol;"
                    + "u.host = 'b.org:8080'; const h1 = u.href;"
                    + "u.hostname = 'c.net'; u.port = '443'; const h2 = u.href;"
                    + "u.port = 'x'; u.port = '99999'; const h3 = u.port; u.port = '8443';"
                    + "u.username = 'me@x'; u.password = 'p:w'; const c = u.href;"
                    + "u.pathname = 'a b/../c'; u.search = 'x=1 2'; u.hash = 'y z'; const rest = u.href;"
                    + "u.search = ''; u.hash = ''; u.port = '';"
                    + "return [p1, p2, h1, h2, h3, c, rest, u.href].join(' ')"))
        .isEqualTo(
            "https://a.com/p?q#h https: https://b.org:8080/p?q#h https://c.net/p?q#h "
                + " https://me%40x:p%3Aw@c.net:8443/p?q#h https://me%40x:p%3Aw@c.net:8443/c?x=1%202#y%20z"
                + " https://me%40x:p%3Aw@c.net/c");
    assertThat(
            js.string(
                "const u = new URL('mailto:a@b'); u.host = 'x'; u.pathname = 'y'; u.username = 'z';"
                    + "const f = new URL('file:///p'); f.port = '1'; f.username = 'u';"
                    + "return u.href + ' ' + f.href"))
        .isEqualTo("mailto:a@b file:///p");
    assertThat(js.thrown("new URL('https://x/').href = 'not a url'")).startsWith("TypeError: ");
    assertThat(
            js.string(
                "const u = new URL('https://x/a'); u.href = 'http://y/b?c=1'; return u.host + u.search"))
        .isEqualTo("y?c=1");
  }

  @Test
  void searchParamsStayLinkedToTheUrl() {
    assertThat(
            js.string(
                "const u = new URL('https://x/?a=1&b=2&a=3'); const p = u.searchParams;"
                    + "const before = p.getAll('a').join(',');"
                    + "p.append('c', 'd e'); const h1 = u.href;"
                    + "p.delete('a'); const h2 = u.search;"
                    + "u.search = '?z=9'; const got = p.get('z') + ',' + p.has('b');"
                    + "p.delete('z'); const h3 = u.href;"
                    + "u.href = 'https://y/?k=v'; const k = p.get('k');"
                    + "return [before, h1, h2, got, h3, k, u.searchParams === p].join(' ')"))
        .isEqualTo("1,3 https://x/?a=1&b=2&a=3&c=d+e ?b=2&c=d+e 9,false https://x/ v true");
  }

  @Test
  void searchParamsParseAndSerialiseFormEncoding() {
    assertThat(
            js.string(
                "const p = new URLSearchParams('?a=b+c&%C3%A9=%e2%82%ac&&x&=y&bad=%zz');"
                    + "return JSON.stringify([...p]) + ' ' + p.size + ' ' + p.toString()"))
        .isEqualTo(
            "[[\"a\",\"b c\"],[\"é\",\"€\"],[\"x\",\"\"],[\"\",\"y\"],[\"bad\",\"%zz\"]] 5"
                + " a=b+c&%C3%A9=%E2%82%AC&x=&=y&bad=%25zz");
    assertThat(
            js.string(
                "return [new URLSearchParams({a: '1', b: 'x y'}), new URLSearchParams([['a', '*-._~!']]),"
                    + " new URLSearchParams(new URLSearchParams('q=1'))].map(String).join(' ')"))
        .isEqualTo("a=1&b=x+y a=*-._%7E%21 q=1");
    assertThat(js.thrown("new URLSearchParams([['a']])")).startsWith("TypeError: ");
  }

  @Test
  void searchParamsMethods() {
    assertThat(
            js.string(
                "const p = new URLSearchParams('b=2&a=1&b=3&c=4');"
                    + "p.set('b', 'x'); const s1 = p.toString();"
                    + "p.sort(); const s2 = p.toString();"
                    + "const has = [p.has('a'), p.has('a', '2'), p.has('a', '1'), String(p.get('none'))];"
                    + "p.append('a', '5'); p.delete('a', '1'); const s3 = p.toString();"
                    + "const seen = []; p.forEach((v, k) => seen.push(k + v));"
                    + "return [s1, s2, has.join(','), s3, seen.join(','), [...p.keys()].join(''),"
                    + " [...p.values()].join('')].join(' ')"))
        .isEqualTo("b=x&a=1&c=4 a=1&b=x&c=4 true,false,true,null b=x&c=4&a=5 bx,c4,a5 bca x45");
    assertThat(
            js.string(
                "const p = new URLSearchParams('z=1&é=2&a=3&a=0'); p.sort(); return p.toString()"))
        .isEqualTo("a=3&a=0&z=1&%C3%A9=2");
  }
}
