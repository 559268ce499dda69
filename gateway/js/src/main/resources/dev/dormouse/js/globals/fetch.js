// Request and Response (WHATWG Fetch, as workerd has them). A body is held as bytes: text(),
// json(), arrayBuffer() and bytes() read it once; ReadableStream bodies are not supported.
(function () {
  "use strict";
  const internal = globalThis.__dormouseInternal;
  const { define, utf8Encode, utf8Decode, bytesOf } = internal;
  const { list: headerList, freeze } = internal.headers;
  const { Headers, URL, URLSearchParams } = globalThis;

  // Body state per Request/Response: bytes (Uint8Array or null) and whether it was read.
  const bodies = new WeakMap();
  const bodyOf = (self) => {
    const b = bodies.get(self);
    if (b === undefined) throw new TypeError("Illegal invocation");
    return b;
  };

  // Fetch's "extract a body": the bytes and the Content-Type they imply.
  const extract = (init) => {
    if (init === undefined || init === null) return { bytes: null, type: null };
    if (init instanceof ArrayBuffer || ArrayBuffer.isView(init)) {
      return { bytes: bytesOf(init, "body").slice(), type: null };
    }
    if (init instanceof URLSearchParams) {
      return {
        bytes: utf8Encode(init.toString()),
        type: "application/x-www-form-urlencoded;charset=UTF-8",
      };
    }
    if (typeof init === "object" && typeof init.getReader === "function") {
      throw new TypeError("ReadableStream bodies are not supported by Dormouse");
    }
    return { bytes: utf8Encode(String(init)), type: "text/plain;charset=UTF-8" };
  };

  // Fetch's "UTF-8 decode": a leading BOM is dropped.
  const text = (bytes) => {
    const s = utf8Decode(bytes);
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
  };

  // Takes the body out (once): the bytes, or an empty array for no body.
  const consume = (self) => {
    const b = bodyOf(self);
    if (b.used) return Promise.reject(new TypeError("Body has already been used."));
    if (b.bytes === null) return Promise.resolve(new Uint8Array(0));
    b.used = true;
    return Promise.resolve(b.bytes);
  };

  // The Body mixin's methods, shared by Request and Response.
  const body = {
    get bodyUsed() {
      return bodyOf(this).used;
    },
    text() {
      return consume(this).then(text);
    },
    json() {
      return consume(this).then((bytes) => JSON.parse(text(bytes)));
    },
    arrayBuffer() {
      return consume(this).then((bytes) => bytes.slice().buffer);
    },
    bytes() {
      return consume(this).then((bytes) => bytes.slice());
    },
  };
  const mixBody = (cls) => {
    for (const k of Object.keys(Object.getOwnPropertyDescriptors(body))) {
      Object.defineProperty(cls.prototype, k, {
        ...Object.getOwnPropertyDescriptor(body, k),
        enumerable: false,
      });
    }
    internal.platform.add(cls.prototype);
  };
  const setBody = (self, headers, init) => {
    const { bytes, type } = extract(init);
    if (type !== null && !headers.has("content-type")) headers.set("content-type", type);
    bodies.set(self, { bytes, used: false });
    return bytes;
  };
  const cloneBody = (from, to) => {
    const b = bodyOf(from);
    if (b.used) throw new TypeError("Body has already been used. It can no longer be cloned.");
    // The bytes are never written to, so the clone shares them.
    bodies.set(to, { bytes: b.bytes, used: false });
  };

  const methodToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const normalized = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
  const method = (m) => {
    const s = String(m);
    if (!methodToken.test(s)) throw new TypeError(`Invalid HTTP method: "${s}"`);
    const upper = s.toUpperCase();
    if (upper === "CONNECT" || upper === "TRACE" || upper === "TRACK") {
      throw new TypeError(`Forbidden HTTP method: "${s}"`);
    }
    return normalized.includes(upper) ? upper : s;
  };

  const requests = new WeakMap();
  const requestOf = (self) => {
    const r = requests.get(self);
    if (r === undefined) throw new TypeError("Illegal invocation");
    return r;
  };

  class Request {
    constructor(input, init = {}) {
      const options = init === null || init === undefined ? {} : init;
      let from = null;
      if (input instanceof Request) from = input;
      const base = from === null ? null : requestOf(from);
      const url = base === null ? new URL(String(input)).href : base.url;
      const m = options.method !== undefined ? method(options.method) : base ? base.method : "GET";
      const headers = new Headers(
        options.headers !== undefined ? options.headers : from ? from.headers : undefined
      );
      requests.set(this, {
        url,
        method: m,
        headers,
        redirect: options.redirect !== undefined ? String(options.redirect) : base ? base.redirect : "follow",
        signal: options.signal !== undefined ? options.signal : base ? base.signal : null,
        cf: options.cf !== undefined ? options.cf : base ? base.cf : undefined,
      });
      const hasBody = options.body !== undefined && options.body !== null;
      const inherits = !hasBody && from !== null && bodyOf(from).bytes !== null;
      if ((hasBody || inherits) && (m === "GET" || m === "HEAD")) {
        throw new TypeError("Request with a GET or HEAD method cannot have a body.");
      }
      if (inherits) {
        cloneBody(from, this);
        bodyOf(from).used = true; // its body now belongs to this request
      } else {
        setBody(this, headers, options.body);
      }
    }
    get method() {
      return requestOf(this).method;
    }
    get url() {
      return requestOf(this).url;
    }
    get headers() {
      return requestOf(this).headers;
    }
    get redirect() {
      return requestOf(this).redirect;
    }
    get signal() {
      return requestOf(this).signal;
    }
    get cf() {
      return requestOf(this).cf;
    }
    get body() {
      return bodyOf(this).bytes === null ? null : bodyError();
    }
    clone() {
      const r = requestOf(this);
      const copy = Object.create(Request.prototype);
      requests.set(copy, { ...r, headers: new Headers(r.headers) });
      cloneBody(this, copy);
      return copy;
    }
  }
  const bodyError = () => {
    throw new TypeError(
      "Streaming bodies (.body) are not supported by Dormouse: use text(), json(), arrayBuffer() or bytes()"
    );
  };
  mixBody(Request);
  Object.defineProperty(Request.prototype, Symbol.toStringTag, { value: "Request" });

  const responses = new WeakMap();
  const responseOf = (self) => {
    const r = responses.get(self);
    if (r === undefined) throw new TypeError("Illegal invocation");
    return r;
  };
  // workerd's statusText when none is given (Fetch's would be ""), and what it refuses in one.
  const reasons =
    "100 Continue|101 Switching Protocols|102 Processing|200 OK|201 Created|202 Accepted|" +
    "203 Non-Authoritative Information|204 No Content|205 Reset Content|206 Partial Content|" +
    "207 Multi-Status|208 Already Reported|226 IM Used|300 Multiple Choices|301 Moved Permanently|" +
    "302 Found|303 See Other|304 Not Modified|305 Use Proxy|307 Temporary Redirect|" +
    "308 Permanent Redirect|400 Bad Request|401 Unauthorized|402 Payment Required|403 Forbidden|" +
    "404 Not Found|405 Method Not Allowed|406 Not Acceptable|407 Proxy Authentication Required|" +
    "408 Request Timeout|409 Conflict|410 Gone|411 Length Required|412 Precondition Failed|" +
    "413 Payload Too Large|414 URI Too Long|415 Unsupported Media Type|416 Range Not Satisfiable|" +
    "417 Expectation Failed|418 I'm a teapot|421 Misdirected Request|422 Unprocessable Entity|" +
    "423 Locked|424 Failed Dependency|425 Too Early|426 Upgrade Required|428 Precondition Required|" +
    "429 Too Many Requests|431 Request Header Fields Too Large|451 Unavailable For Legal Reasons|" +
    "500 Internal Server Error|501 Not Implemented|502 Bad Gateway|503 Service Unavailable|" +
    "504 Gateway Timeout|505 HTTP Version Not Supported|506 Variant Also Negotiates|" +
    "507 Insufficient Storage|508 Loop Detected|510 Not Extended|511 Network Authentication Required";
  let reasonByStatus = null; // parsed on the first Response without a statusText
  const defaultStatusText = (status) => {
    if (reasonByStatus === null) {
      reasonByStatus = new Map(reasons.split("|").map((r) => [Number(r.slice(0, 3)), r.slice(4)]));
    }
    return reasonByStatus.get(status) || "";
  };
  const controlCharacter = /[\x00-\x1f]/;
  const nullBodyStatus = [101, 204, 205, 304];

  class Response {
    constructor(bodyInit = null, init = {}) {
      const options = init === null || init === undefined ? {} : init;
      const status = options.status === undefined ? 200 : Number(options.status) | 0;
      const webSocket = options.webSocket === undefined ? null : options.webSocket;
      if (webSocket === null && (status < 200 || status > 599)) {
        throw new RangeError(
          "Responses may only be constructed with status codes in the range 200 to 599, inclusive."
        );
      }
      if (webSocket !== null && status !== 101) {
        throw new RangeError("Responses with a WebSocket must have status code 101.");
      }
      const statusText =
        options.statusText === undefined ? defaultStatusText(status) : String(options.statusText);
      if (controlCharacter.test(statusText)) throw new TypeError("Invalid statusText");
      const headers = new Headers(options.headers);
      responses.set(this, { status, statusText, headers, webSocket, type: "default", url: "" });
      if (bodyInit !== null && bodyInit !== undefined && nullBodyStatus.includes(status)) {
        throw new TypeError(`Response with null body status (${status}) cannot have a body.`);
      }
      setBody(this, headers, bodyInit);
    }
    static json(data, init = {}) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError("Response.json: the data is not JSON-serializable");
      const options = init === null || init === undefined ? {} : init;
      const headers = new Headers(options.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(text, { ...options, headers });
    }
    static redirect(url, status = 302) {
      const location = new URL(String(url)).href;
      if (![301, 302, 303, 307, 308].includes(status)) {
        throw new RangeError(`Invalid redirect status: ${status}`);
      }
      const response = new Response(null, { status, headers: { location } });
      freeze(response.headers);
      return response;
    }
    static error() {
      const response = new Response(null, { status: 200 });
      Object.assign(responseOf(response), { status: 0, statusText: "", type: "error" });
      freeze(response.headers);
      return response;
    }
    get status() {
      return responseOf(this).status;
    }
    get statusText() {
      return responseOf(this).statusText;
    }
    get ok() {
      const s = responseOf(this).status;
      return s >= 200 && s <= 299;
    }
    get headers() {
      return responseOf(this).headers;
    }
    get webSocket() {
      return responseOf(this).webSocket;
    }
    get type() {
      return responseOf(this).type;
    }
    get url() {
      return responseOf(this).url;
    }
    get redirected() {
      return false;
    }
    get body() {
      return bodyOf(this).bytes === null ? null : bodyError();
    }
    clone() {
      const r = responseOf(this);
      if (r.webSocket !== null) throw new TypeError("A Response with a webSocket cannot be cloned.");
      const copy = Object.create(Response.prototype);
      responses.set(copy, { ...r, headers: new Headers(r.headers) });
      cloneBody(this, copy);
      return copy;
    }
  }
  mixBody(Response);
  Object.defineProperty(Response.prototype, Symbol.toStringTag, { value: "Response" });

  // The runtime's way in: a request arriving from the gateway, its headers immutable as workerd's.
  const requestFrom = (parts) => {
    const copy = Object.create(Request.prototype);
    const headers = new Headers(parts.headers || []);
    requests.set(copy, {
      url: new URL(String(parts.url)).href,
      method: method(parts.method === undefined ? "GET" : parts.method),
      headers: freeze(headers),
      redirect: "follow",
      signal: null,
      cf: undefined,
    });
    const bytes = parts.body === undefined || parts.body === null ? null : bytesOf(parts.body, "body");
    bodies.set(copy, { bytes, used: false });
    return copy;
  };

  // The runtime's way out: what goes on the wire, synchronously. The body counts as read.
  const responseParts = (response) => {
    if (!(response instanceof Response)) {
      throw new TypeError("The handler must return a Response (got " + typeof response + ")");
    }
    const r = responseOf(response);
    const b = bodyOf(response);
    if (b.used) throw new TypeError("The Response's body has already been used.");
    if (b.bytes !== null) b.used = true;
    return {
      status: r.status,
      statusText: r.statusText,
      headers: headerList(r.headers),
      body: b.bytes,
      webSocket: r.webSocket,
    };
  };

  define(globalThis, { Request, Response });
  Object.assign(internal.exports, { requestFrom, responseParts });
})();
