// INTERIM, until the globals of issue 14's other part (globals/, with their index.txt) are merged:
// the least of them the runtime and the seed need — JSON-only clones, a plain Request and Response,
// crypto.randomUUID — so that the engine runs before they land. Evaluated only when globals/ is
// absent; deleted with the merge.
(function () {
  "use strict";
  const host = globalThis.__host;
  const latin1 = (view) => {
    const bytes = view instanceof ArrayBuffer ? new Uint8Array(view) : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return s;
  };
  const buffer = (s) => {
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes.buffer;
  };
  class Headers {
    constructor(init) {
      this.map = new Map();
      for (const [k, v] of init instanceof Headers ? init.map : Array.isArray(init) ? init : Object.entries(init || {})) this.map.set(k.toLowerCase(), String(v));
    }
    get(name) { const v = this.map.get(name.toLowerCase()); return v === undefined ? null : v; }
    [Symbol.iterator]() { return this.map.entries(); }
  }
  class Request {
    constructor(url, init = {}) { this.url = url; this.method = init.method || "GET"; this.headers = new Headers(init.headers); this.body = init.body || null; }
  }
  class Response {
    constructor(body = null, init = {}) { this.body = body; this.status = init.status || 200; this.headers = new Headers(init.headers); this.webSocket = init.webSocket || null; }
  }
  const utf8 = (s) => new Uint8Array(buffer(unescape(encodeURIComponent(s))));
  globalThis.Headers = Headers;
  globalThis.Request = Request;
  globalThis.Response = Response;
  globalThis.TextDecoder = class { decode(b) { return decodeURIComponent(escape(latin1(b))); } };
  globalThis.crypto = {
    randomUUID() {
      const h = [...host.randomBytes(16)].map((c, i) => ((i === 6 ? (c.charCodeAt(0) & 0x0f) | 0x40 : i === 8 ? (c.charCodeAt(0) & 0x3f) | 0x80 : c.charCodeAt(0)) + 0x100).toString(16).slice(1)).join("");
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
  Object.defineProperty(globalThis, "__dormouse", {
    value: Object.freeze({
      serialize: (v) => (v === undefined ? "u" : "j" + JSON.stringify(v)),
      deserialize: (s) => (s === "u" ? undefined : JSON.parse(s.slice(1))),
      requestFrom: (r) => new Request(r.url, { method: r.method, headers: r.headers, body: r.body }),
      responseParts: (r) => ({
        status: r.status,
        statusText: "",
        headers: [...r.headers],
        body: r.body === null ? null : typeof r.body === "string" ? utf8(r.body) : new Uint8Array(r.body),
        webSocket: r.webSocket,
      }),
      latin1ToBuffer: buffer,
      bufferToLatin1: latin1,
    }),
  });
})();
