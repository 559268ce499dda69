package dev.dormouse.js.globals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request and Response (Fetch, as workerd has them), and the runtime's crossings: {@code
 * __dormouse.requestFrom} and {@code __dormouse.responseParts}.
 */
class RequestResponseTest {

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
  void aRequestNormalisesItsUrlAndMethod() {
    assertThat(
            js.string(
                "const r = new Request('HTTPS://Example.COM/a/../b?x=1', {method: 'post'});"
                    + "return [r.url, r.method, new Request('https://x/', {method: 'patch'}).method,"
                    + " new Request('https://x/').method, r.redirect, r.bodyUsed].join(' ')"))
        .isEqualTo("https://example.com/b?x=1 POST patch GET follow false");
    assertThat(js.thrown("new Request('/relative')")).startsWith("TypeError: Invalid URL");
    assertThat(js.thrown("new Request('https://x/', {method: 'bad method'})"))
        .startsWith("TypeError: Invalid HTTP method");
    assertThat(js.thrown("new Request('https://x/', {method: 'CONNECT'})"))
        .startsWith("TypeError: Forbidden HTTP method");
    assertThat(js.thrown("new Request('https://x/', {body: 'x'})"))
        .isEqualTo("TypeError: Request with a GET or HEAD method cannot have a body.");
  }

  @Test
  void bodiesOfEveryKindAreReadAsText() {
    assertThat(
            js.settled(
                "Promise.all([new Response('héllo'), new Response(new Uint8Array([104, 105])),"
                    + " new Response(new Uint8Array([0, 104, 105, 0]).subarray(1, 3)),"
                    + " new Response(new Uint16Array([0x6968]).buffer),"
                    + " new Response(new DataView(new Uint8Array([33]).buffer)),"
                    + " new Response(new URLSearchParams({a: 'b c', d: 'é'})),"
                    + " new Response(null), new Response(), new Response(42)]"
                    + ".map(r => r.text())).then(t => t.join('|'))"))
        .isEqualTo("héllo|hi|hi|hi|!|a=b+c&d=%C3%A9|||42");
  }

  @Test
  void theBodyImpliesAContentType() {
    assertThat(
            js.string(
                "return [new Response('x').headers.get('content-type'),"
                    + " new Response(new URLSearchParams('a=1')).headers.get('content-type'),"
                    + " String(new Response(new ArrayBuffer(1)).headers.get('content-type')),"
                    + " new Response('x', {headers: {'Content-Type': 'text/html'}}).headers.get('content-type')"
                    + "].join(' ')"))
        .isEqualTo(
            "text/plain;charset=UTF-8 application/x-www-form-urlencoded;charset=UTF-8 null text/html");
  }

  @Test
  void aBodyIsReadOnce() {
    assertThat(
            js.settled(
                "(async () => { const r = new Response('{\"a\": 1}'); const first = await r.json();"
                    + " const used = r.bodyUsed; try { await r.text(); return 'read twice' }"
                    + " catch (e) { return first.a + ' ' + used + ' ' + e.name + ': ' + e.message } })()"))
        .isEqualTo("1 true TypeError: Body has already been used.");
    assertThat(
            js.settled(
                "(async () => { const r = new Request('https://x/', {method: 'PUT', body: 'abc'});"
                    + " const b = await r.arrayBuffer(); return b.byteLength + ' ' + r.bodyUsed })()"))
        .isEqualTo("3 true");
    assertThat(
            js.settled(
                "(async () => { const r = new Response(null); await r.text(); await r.text();"
                    + " return r.bodyUsed })()"))
        .isEqualTo("false");
    assertThat(js.settled("new Response('{bad').json()")).startsWith("rejected: SyntaxError: ");
    assertThat(js.settled("new Response('\\ufeffhi').text()")).isEqualTo("hi");
    assertThat(js.settled("new Response('ab').bytes().then(b => b.constructor.name + b.join(','))"))
        .isEqualTo("Uint8Array97,98");
  }

  @Test
  void cloneCopiesTheBodyUnlessItWasRead() {
    assertThat(
            js.settled(
                "(async () => { const r = new Response('x', {status: 201, headers: {a: '1'}});"
                    + " const c = r.clone(); c.headers.set('a', '2');"
                    + " return [await r.text(), await c.text(), c.status, r.headers.get('a')].join(' ') })()"))
        .isEqualTo("x x 201 1");
    assertThat(
            js.settled(
                "(async () => { const r = new Request('https://x/', {method: 'POST', body: 'y'});"
                    + " await r.text(); try { r.clone(); return 'cloned' } catch (e) { return e.name } })()"))
        .isEqualTo("TypeError");
  }

  @Test
  void aRequestMadeFromARequestTakesItsBody() {
    assertThat(
            js.settled(
                "(async () => { const a = new Request('https://x/p', {method: 'POST', body: 'b',"
                    + " headers: {h: '1'}}); const b = new Request(a, {headers: {h: '2'}});"
                    + " return [b.url, b.method, b.headers.get('h'), a.bodyUsed, await b.text()].join(' ') })()"))
        .isEqualTo("https://x/p POST 2 true b");
  }

  @Test
  void responseStatusesAreCheckedAsWorkersCheckThem() {
    assertThat(
            js.string(
                "const r = new Response('x', {status: 404, statusText: 'Not Found'});"
                    + "return [r.status, r.statusText, r.ok, new Response().status, new Response().ok,"
                    + " r.type, r.url, r.redirected, r.webSocket].join(' ')"))
        .isEqualTo("404 Not Found false 200 true default  false ");
    assertThat(js.thrown("new Response(null, {statusText: 'a\\tb'})"))
        .isEqualTo("TypeError: Invalid statusText");
    assertThat(
            js.string(
                "return [new Response().statusText, new Response(null, {status: 404}).statusText,"
                    + " new Response(null, {status: 599}).statusText, Response.error().statusText,"
                    + " new Response(null, {status: 201, statusText: ''}).statusText].join('|')"))
        .isEqualTo("OK|Not Found|||");
    assertThat(js.thrown("new Response('x', {status: 199})")).startsWith("RangeError: ");
    assertThat(js.thrown("new Response('x', {status: 600})")).startsWith("RangeError: ");
    assertThat(js.thrown("new Response(null, {status: 101})")).startsWith("RangeError: ");
    assertThat(js.thrown("new Response('x', {status: 204})"))
        .isEqualTo("TypeError: Response with null body status (204) cannot have a body.");
    assertThat(js.thrown("new Response(null, {statusText: 'a\\nb'})")).startsWith("TypeError: ");
  }

  @Test
  void aWebSocketResponseHasStatus101() {
    assertThat(
            js.string(
                "const client = {side: 'client'};"
                    + "const r = new Response(null, {status: 101, webSocket: client});"
                    + "const parts = __dormouse.responseParts(r);"
                    + "return [r.status, r.webSocket === client, parts.status, parts.webSocket === client,"
                    + " parts.body].join(' ')"))
        .isEqualTo("101 true 101 true ");
    assertThat(js.thrown("new Response(null, {status: 200, webSocket: {}})"))
        .isEqualTo("RangeError: Responses with a WebSocket must have status code 101.");
  }

  @Test
  void responseJsonAndRedirectAndError() {
    assertThat(
            js.settled(
                "(async () => { const r = Response.json({a: [1]}, {status: 202, headers: {x: 'y'}});"
                    + " return [r.status, r.headers.get('content-type'), r.headers.get('x'), await r.text()]"
                    + ".join(' ') })()"))
        .isEqualTo("202 application/json y {\"a\":[1]}");
    assertThat(
            js.string(
                "return Response.json('x', {headers: {'content-type': 'application/vnd+json'}})"
                    + ".headers.get('content-type')"))
        .isEqualTo("application/vnd+json");
    assertThat(js.thrown("Response.json(1n)")).startsWith("TypeError: ");
    assertThat(js.thrown("Response.json(undefined)")).startsWith("TypeError: ");
    assertThat(
            js.string(
                "const r = Response.redirect('https://x/a b', 301);"
                    + "return r.status + ' ' + r.headers.get('location')"))
        .isEqualTo("301 https://x/a%20b");
    assertThat(js.string("return Response.redirect('https://x/').status")).isEqualTo("302");
    assertThat(js.thrown("Response.redirect('https://x/', 200)")).startsWith("RangeError: ");
    assertThat(js.string("const r = Response.error(); return r.type + ' ' + r.status"))
        .isEqualTo("error 0");
  }

  @Test
  void streamingBodiesAreRefusedClearly() {
    assertThat(js.string("return new Response(null).body")).isEqualTo("null");
    assertThat(js.thrown("new Response('x').body")).startsWith("TypeError: Streaming bodies");
    assertThat(js.thrown("new Response({getReader() {}})")).startsWith("TypeError: ReadableStream");
  }

  @Test
  void requestFromBuildsTheIncomingRequest() {
    assertThat(
            js.settled(
                "(async () => { const r = __dormouse.requestFrom({url: 'https://room.example/x?y=1',"
                    + " method: 'POST', headers: [['Content-Type', 'text/plain'], ['X-A', '1'], ['x-a', '2']],"
                    + " body: new Uint8Array([104, 105])});"
                    + " return [r instanceof Request, r.url, r.method, r.headers.get('x-a'),"
                    + " r.headers.get('content-type'), await r.text()].join(' ') })()"))
        .isEqualTo("true https://room.example/x?y=1 POST 1, 2 text/plain hi");
    assertThat(
            js.settled(
                "__dormouse.requestFrom({url: 'https://r/', method: 'GET', headers: [], body: null})"
                    + ".text().then(t => '[' + t + ']')"))
        .isEqualTo("[]");
  }

  @Test
  void responsePartsGivesTheWireView() {
    assertThat(
            js.string(
                "const r = new Response('hé', {status: 418, statusText: 'Teapot',"
                    + " headers: [['Set-Cookie', 'a=1'], ['set-cookie', 'b=2'], ['X-B', '1'], ['x-b', '2']]});"
                    + "const p = __dormouse.responseParts(r);"
                    + "return [p.status, p.statusText, JSON.stringify(p.headers), p.body.constructor.name,"
                    + " p.body.join(','), r.bodyUsed].join(' ')"))
        .isEqualTo(
            "418 Teapot [[\"content-type\",\"text/plain;charset=UTF-8\"],[\"set-cookie\",\"a=1\"],"
                + "[\"set-cookie\",\"b=2\"],[\"x-b\",\"1, 2\"]] Uint8Array 104,195,169 true");
    assertThat(js.string("return __dormouse.responseParts(new Response(null, {status: 204})).body"))
        .isEqualTo("null");
    assertThat(js.thrown("__dormouse.responseParts({status: 200})"))
        .startsWith("TypeError: The handler must return a Response");
    assertThat(
            js.thrown(
                "const r = new Response('x'); __dormouse.responseParts(r); __dormouse.responseParts(r)"))
        .startsWith("TypeError: ");
  }
}
