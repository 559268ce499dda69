// The Durable Object runtime of one context: evaluated after the globals, it is a function of the
// host bridge (Java proxies; the code has no other way to the host) and returns the entry points the
// Java side (JsActivation) calls. What a Durable Object class sees of Dormouse is defined here.
(function (host) {
  "use strict";

  const dormouse = globalThis.__dormouse;
  const INTERNAL = Symbol("dormouse.internal");
  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSING = 2;
  const CLOSED = 3;

  /** A host array (a Java list) as a JavaScript array. */
  function fromHost(list) {
    const out = [];
    for (let i = 0; i < list.length; i++) {
      out.push(list[i]);
    }
    return out;
  }

  /** [k1, v1, k2, v2, …] from the host as [[k1, v1], …]. */
  function pairsFromHost(list) {
    const out = [];
    for (let i = 0; i + 1 < list.length; i += 2) {
      out.push([list[i], list[i + 1]]);
    }
    return out;
  }

  // ---- events: one at a time; each ends when its promises settle, timers run in its loop ----

  let current = null;

  // As on Durable Objects: within alarm(), getAlarm() answers null (the ringing alarm is spent)
  // until the handler sets or deletes one.
  let alarmRinging = false;

  function newEvent() {
    return {
      done: false,
      failed: false,
      value: undefined,
      error: undefined,
      pending: 0,
      timers: new Map(),
      nextTimer: 1,
    };
  }

  function fail(event, error) {
    if (!event.done) {
      event.failed = true;
      event.error = error;
      event.done = true;
    }
  }

  /** Counts the promise among those the event waits for; a rejection fails the event if fatal. */
  function track(event, promise, fatal, onValue) {
    event.pending++;
    promise.then(
      (value) => {
        if (onValue) {
          onValue(value);
        }
        event.pending--;
        if (event.pending === 0 && !event.done) {
          event.done = true;
        }
      },
      (error) => {
        event.pending--;
        if (fatal) {
          fail(event, error);
        } else {
          host.log("error", "waitUntil promise rejected: " + describe(error));
          if (event.pending === 0 && !event.done) {
            event.done = true;
          }
        }
      },
    );
  }

  /** Starts an event running {@code body} (a function, maybe async); Java drives it to its end. */
  function run(body) {
    const event = newEvent();
    current = event;
    alarmRinging = false;
    let promise;
    try {
      promise = Promise.resolve(body());
    } catch (error) {
      promise = Promise.reject(error);
    }
    track(event, promise, true, (value) => {
      event.value = value;
    });
    return event;
  }

  function inEvent(what) {
    if (current === null) {
      throw new Error(
        what + " can be called only while the room handles an event (not at a module's top level)",
      );
    }
    return current;
  }

  function addTimer(callback, delay, args, repeat) {
    if (typeof callback !== "function") {
      throw new TypeError("the timer's callback must be a function");
    }
    const event = inEvent(repeat ? "setInterval" : "setTimeout");
    const ms = Math.max(0, Number(delay) || 0);
    const id = event.nextTimer++;
    event.timers.set(id, { due: Date.now() + ms, ms, callback, args, repeat });
    return id;
  }

  function clearTimer(id) {
    if (current !== null) {
      current.timers.delete(id);
    }
  }

  function dueTimer(event) {
    let first = null;
    for (const [id, timer] of event.timers) {
      if (first === null || timer.due < first[1].due) {
        first = [id, timer];
      }
    }
    return first;
  }

  function describe(error) {
    if (error instanceof Error) {
      return error.stack ? String(error.stack) : String(error);
    }
    try {
      return "uncaught " + String(error);
    } catch (e) {
      return "uncaught value";
    }
  }

  // ---- WebSockets: one object per connection of the activation ----

  const internals = new WeakMap();
  const sockets = new Map();
  let connecting = null;

  function internal(ws, what) {
    const state = internals.get(ws);
    if (state === undefined) {
      throw new TypeError(what + " takes a WebSocket of this room");
    }
    return state;
  }

  function boundId(ws, what) {
    const state = internal(ws, what);
    if (state.id === null) {
      throw new TypeError(what + ": this WebSocket was not accepted with ctx.acceptWebSocket()");
    }
    return state.id;
  }

  class WebSocket {
    constructor(token) {
      if (token !== INTERNAL) {
        throw new TypeError(
          "a room cannot open WebSockets; it accepts them with ctx.acceptWebSocket() in fetch()",
        );
      }
      internals.set(this, { id: null, peer: null, attachment: undefined, state: OPEN });
    }

    get readyState() {
      return internal(this, "readyState").state;
    }

    get url() {
      return null;
    }

    get protocol() {
      return "";
    }

    get extensions() {
      return "";
    }

    send(message) {
      const id = boundId(this, "send()");
      if (internals.get(this).state !== OPEN) {
        throw new TypeError("WebSocket send() after close()");
      }
      if (typeof message === "string") {
        host.send(id, message);
      } else if (message instanceof ArrayBuffer || ArrayBuffer.isView(message)) {
        host.sendBinary(id, dormouse.bufferToLatin1(message));
      } else {
        throw new TypeError("WebSocket send() takes a string, an ArrayBuffer or a view of one");
      }
    }

    close(code, reason) {
      const id = boundId(this, "close()");
      if (code !== undefined && !Number.isInteger(code)) {
        throw new TypeError("WebSocket close(): the code must be an integer");
      }
      const state = internals.get(this);
      if (state.state === OPEN) {
        state.state = CLOSING;
      }
      host.close(id, code === undefined ? 1005 : code, reason === undefined ? "" : String(reason));
    }

    serializeAttachment(value) {
      const state = internal(this, "serializeAttachment()");
      const text = dormouse.serialize(value);
      if (state.id === null) {
        state.attachment = text;
      } else {
        host.setAttachment(state.id, text);
      }
    }

    deserializeAttachment() {
      const state = internal(this, "deserializeAttachment()");
      const text = state.id === null ? state.attachment : host.attachment(state.id);
      return text === undefined || text === null ? null : dormouse.deserialize(text);
    }

    accept() {
      throw new Error(
        "ws.accept() is not supported: Dormouse's WebSockets hibernate; use ctx.acceptWebSocket(ws)",
      );
    }

    addEventListener() {
      throw new Error(
        "WebSocket events are not supported: the class's webSocketMessage, webSocketClose and" +
          " webSocketError handlers receive them",
      );
    }
  }
  WebSocket.CONNECTING = CONNECTING;
  WebSocket.OPEN = OPEN;
  WebSocket.CLOSING = CLOSING;
  WebSocket.CLOSED = CLOSED;

  function socketFor(id) {
    let ws = sockets.get(id);
    if (ws === undefined) {
      ws = new WebSocket(INTERNAL);
      internals.get(ws).id = id;
      sockets.set(id, ws);
    }
    return ws;
  }

  class WebSocketPair {
    constructor() {
      const client = new WebSocket(INTERNAL);
      const server = new WebSocket(INTERNAL);
      internals.get(client).peer = server;
      internals.get(server).peer = client;
      this[0] = client;
      this[1] = server;
    }
  }

  class WebSocketRequestResponsePair {
    #request;
    #response;

    constructor(request, response) {
      if (typeof request !== "string" || typeof response !== "string") {
        throw new TypeError("WebSocketRequestResponsePair takes two strings");
      }
      this.#request = request;
      this.#response = response;
    }

    get request() {
      return this.#request;
    }

    get response() {
      return this.#response;
    }
  }

  function checkTags(tags) {
    if (tags === undefined) {
      return [];
    }
    const list = Array.from(tags);
    for (const tag of list) {
      if (typeof tag !== "string") {
        throw new TypeError("acceptWebSocket(): tags must be strings");
      }
    }
    return list;
  }

  // ---- storage: the instance's, in Redis; values structured-cloned ----

  const MAX_KEYS = 128;

  function settle(work) {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  function checkKey(key) {
    if (typeof key !== "string") {
      throw new TypeError("storage keys are strings");
    }
    return key;
  }

  function checkKeys(keys, what) {
    if (keys.length > MAX_KEYS) {
      throw new RangeError(what + " takes at most " + MAX_KEYS + " keys");
    }
    return keys.map(checkKey);
  }

  function toMap(flat) {
    const map = new Map();
    for (const [key, text] of pairsFromHost(flat)) {
      map.set(key, dormouse.deserialize(text));
    }
    return map;
  }

  function optional(value, type, name) {
    if (value === undefined || value === null) {
      return null;
    }
    if (typeof value !== type) {
      throw new TypeError("list(): " + name + " must be a " + type);
    }
    return value;
  }

  class DurableObjectStorage {
    constructor(token) {
      if (token !== INTERNAL) {
        throw new TypeError("Illegal constructor");
      }
    }

    get(keys) {
      return settle(() => {
        if (Array.isArray(keys)) {
          return toMap(host.getMany(checkKeys(keys, "get()")));
        }
        const text = host.get(checkKey(keys));
        return text === null ? undefined : dormouse.deserialize(text);
      });
    }

    put(keyOrEntries, value) {
      return settle(() => {
        if (typeof keyOrEntries === "string") {
          host.put(keyOrEntries, dormouse.serialize(value));
          return undefined;
        }
        if (keyOrEntries === null || typeof keyOrEntries !== "object") {
          throw new TypeError("put() takes a key and a value, or an object of entries");
        }
        const entries = Object.entries(keyOrEntries);
        checkKeys(
          entries.map(([key]) => key),
          "put()",
        );
        host.putMany(entries.flatMap(([key, v]) => [key, dormouse.serialize(v)]));
        return undefined;
      });
    }

    delete(keys) {
      return settle(() =>
        Array.isArray(keys)
          ? host.deleteMany(checkKeys(keys, "delete()"))
          : host.delete(checkKey(keys)),
      );
    }

    deleteAll() {
      return settle(() => {
        host.deleteAll();
        return undefined;
      });
    }

    list(options) {
      return settle(() => {
        const o = options === undefined ? {} : options;
        if (o.start !== undefined && o.startAfter !== undefined) {
          throw new TypeError("list(): start and startAfter cannot both be given");
        }
        const limit = optional(o.limit, "number", "limit");
        if (limit !== null && (!Number.isInteger(limit) || limit < 1)) {
          throw new RangeError("list(): limit must be a positive integer");
        }
        return toMap(
          host.list(
            optional(o.prefix, "string", "prefix"),
            optional(o.start, "string", "start"),
            optional(o.startAfter, "string", "startAfter"),
            optional(o.end, "string", "end"),
            o.reverse === true,
            limit === null ? -1 : limit,
          ),
        );
      });
    }

    getAlarm() {
      return settle(() => (alarmRinging ? null : host.getAlarm()));
    }

    setAlarm(scheduledTime) {
      return settle(() => {
        const ms = scheduledTime instanceof Date ? scheduledTime.getTime() : scheduledTime;
        if (typeof ms !== "number" || !Number.isFinite(ms)) {
          throw new TypeError("setAlarm() takes a Date or milliseconds since the epoch");
        }
        host.setAlarm(ms);
        alarmRinging = false;
        return undefined;
      });
    }

    deleteAlarm() {
      return settle(() => {
        host.deleteAlarm();
        alarmRinging = false;
        return undefined;
      });
    }

    sync() {
      // Every write above is in Redis when its promise settles: there is nothing left to flush.
      return Promise.resolve();
    }

    transaction() {
      return Promise.reject(new Error("storage.transaction() is not supported on Dormouse"));
    }
  }

  // ---- the state (ctx), the id, the classes' base ----

  class DurableObjectId {
    #name;
    #hex;

    constructor(token, name, hex) {
      if (token !== INTERNAL) {
        throw new TypeError("Illegal constructor");
      }
      this.#name = name;
      this.#hex = hex;
    }

    get name() {
      return this.#name;
    }

    toString() {
      return this.#hex;
    }

    equals(other) {
      return other instanceof DurableObjectId && other.toString() === this.#hex;
    }
  }

  const storage = new DurableObjectStorage(INTERNAL);

  class DurableObjectState {
    #id;

    constructor(token, id) {
      if (token !== INTERNAL) {
        throw new TypeError("Illegal constructor");
      }
      this.#id = id;
    }

    get id() {
      return this.#id;
    }

    get storage() {
      return storage;
    }

    acceptWebSocket(ws, tags) {
      const state = internal(ws, "acceptWebSocket()");
      if (connecting === null) {
        throw new Error(
          "acceptWebSocket() outside fetch() of a WebSocket upgrade: Dormouse accepts a" +
            " WebSocket only in answer to its client's upgrade request",
        );
      }
      if (connecting.accepted !== null || state.id !== null) {
        throw new Error("acceptWebSocket(): this upgrade's WebSocket is accepted already");
      }
      const list = checkTags(tags);
      state.id = connecting.id;
      sockets.set(state.id, ws);
      connecting.accepted = ws;
      connecting.tags = list;
      if (state.attachment !== undefined) {
        host.setAttachment(state.id, state.attachment);
        state.attachment = undefined;
      }
    }

    getWebSockets(tag) {
      if (tag !== undefined && typeof tag !== "string") {
        throw new TypeError("getWebSockets(): the tag must be a string");
      }
      const list = fromHost(host.sockets(tag === undefined ? null : tag)).map(socketFor);
      const accepted = connecting === null ? null : connecting.accepted;
      if (
        accepted !== null &&
        !list.includes(accepted) &&
        (tag === undefined || connecting.tags.includes(tag))
      ) {
        list.push(accepted);
      }
      return list;
    }

    getTags(ws) {
      if (connecting !== null && ws === connecting.accepted) {
        return [...connecting.tags];
      }
      return fromHost(host.tags(boundId(ws, "getTags()")));
    }

    setWebSocketAutoResponse(pair) {
      if (pair === undefined || pair === null) {
        host.setAutoResponse(null, null);
        return;
      }
      if (!(pair instanceof WebSocketRequestResponsePair)) {
        throw new TypeError("setWebSocketAutoResponse() takes a WebSocketRequestResponsePair");
      }
      host.setAutoResponse(pair.request, pair.response);
    }

    getWebSocketAutoResponse() {
      const pair = host.autoResponse();
      return pair === null ? null : new WebSocketRequestResponsePair(pair[0], pair[1]);
    }

    getWebSocketAutoResponseTimestamp(ws) {
      const ms = host.autoResponseTimestamp(boundId(ws, "getWebSocketAutoResponseTimestamp()"));
      return ms === null ? null : new Date(ms);
    }

    setHibernatableWebSocketEventTimeout(ms) {
      if (ms !== undefined && ms !== null && (!Number.isInteger(ms) || ms < 0)) {
        throw new TypeError("setHibernatableWebSocketEventTimeout() takes milliseconds");
      }
      host.setEventTimeout(ms === undefined || ms === null ? 0 : ms);
    }

    getHibernatableWebSocketEventTimeout() {
      return host.eventTimeout();
    }

    blockConcurrencyWhile(callback) {
      const event = inEvent("blockConcurrencyWhile()");
      const promise = settle(callback);
      // The event (an activation too) ends only once the callback settles; its failure fails the
      // event, which resets the instance, as a Durable Object is reset.
      track(event, promise, true);
      return promise;
    }

    waitUntil(promise) {
      track(inEvent("waitUntil()"), Promise.resolve(promise), false);
    }
  }

  class DurableObject {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }

  class WorkerEntrypoint {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }

  const env = {};
  for (const [key, value] of pairsFromHost(host.env())) {
    env[key] = value;
  }

  function hidden(name, value) {
    Object.defineProperty(globalThis, name, {
      value,
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }

  hidden("WebSocket", WebSocket);
  hidden("WebSocketPair", WebSocketPair);
  hidden("WebSocketRequestResponsePair", WebSocketRequestResponsePair);
  hidden("setTimeout", (callback, delay, ...args) => addTimer(callback, delay, args, false));
  hidden("setInterval", (callback, delay, ...args) => addTimer(callback, delay, args, true));
  hidden("clearTimeout", clearTimer);
  hidden("clearInterval", clearTimer);
  // What cloudflare-workers.mjs exports; a symbol no module names by chance.
  hidden(Symbol.for("dormouse.workers"), Object.freeze({ DurableObject, WorkerEntrypoint, env }));

  // ---- what the Java side calls ----

  let instance = null;
  let className = "the class";

  function handler(name) {
    const fn = instance === null ? undefined : instance[name];
    return typeof fn === "function" ? fn : null;
  }

  function required(name) {
    const fn = handler(name);
    if (fn === null) {
      throw new TypeError(className + " has no " + name + "() handler");
    }
    return fn;
  }

  function toRequest(url, method, headers, body) {
    return dormouse.requestFrom({
      url,
      method,
      headers: pairsFromHost(headers),
      body: body === null ? null : new Uint8Array(dormouse.latin1ToBuffer(body)),
    });
  }

  function bodyText(body) {
    return body === null ? "" : new TextDecoder().decode(body);
  }

  function answerToUpgrade(response) {
    const parts = dormouse.responseParts(response);
    if (parts.status !== 101) {
      return { accepted: false, status: parts.status, body: bodyText(parts.body) };
    }
    const accepted = connecting.accepted;
    if (accepted === null) {
      throw new TypeError(
        "fetch() answered 101 without ctx.acceptWebSocket(server): Dormouse's WebSockets are" +
          " hibernatable ones, accepted through the state",
      );
    }
    if (parts.webSocket !== internals.get(accepted).peer) {
      throw new TypeError(
        "fetch() answered 101 with a webSocket that is not the other end of the accepted one",
      );
    }
    return { accepted: true, tags: connecting.tags };
  }

  function flatHeaders(headers) {
    const flat = [];
    for (const [name, value] of headers) {
      flat.push(name, value);
    }
    return flat;
  }

  return {
    start(exported, name, idName, idHex) {
      className = name;
      const ctx = new DurableObjectState(INTERNAL, new DurableObjectId(INTERNAL, idName, idHex));
      return run(() => {
        instance = new exported(ctx, env);
      });
    },

    connect(id, url, headers) {
      const fetch = required("fetch");
      return run(async () => {
        connecting = { id, accepted: null, tags: [] };
        try {
          return answerToUpgrade(await fetch.call(instance, toRequest(url, "GET", headers, null)));
        } finally {
          connecting = null;
        }
      });
    },

    request(url, method, headers, body) {
      const fetch = required("fetch");
      return run(async () => {
        const parts = dormouse.responseParts(
          await fetch.call(instance, toRequest(url, method, headers, body)),
        );
        return {
          status: parts.status,
          headers: flatHeaders(parts.headers),
          body: parts.body === null ? null : dormouse.bufferToLatin1(parts.body),
        };
      });
    },

    message(id, text, binary) {
      const fn = required("webSocketMessage");
      const ws = socketFor(id);
      const data = binary === null ? text : dormouse.latin1ToBuffer(binary);
      return run(() => fn.call(instance, ws, data));
    },

    close(id, code, reason, wasClean) {
      const fn = handler("webSocketClose");
      const ws = socketFor(id);
      internals.get(ws).state = CLOSED;
      return run(() => (fn === null ? undefined : fn.call(instance, ws, code, reason, wasClean)));
    },

    error(id, message) {
      const fn = handler("webSocketError");
      const ws = socketFor(id);
      return run(() => (fn === null ? undefined : fn.call(instance, ws, new Error(message))));
    },

    alarm(retryCount) {
      const fn = required("alarm");
      return run(() => {
        alarmRinging = true;
        return fn.call(instance, { retryCount, isRetry: retryCount > 0 });
      });
    },

    /** Milliseconds until the event's next timer is due, or -1 when it has none. */
    nextTimer(event) {
      const first = dueTimer(event);
      return first === null ? -1 : Math.max(0, first[1].due - Date.now());
    },

    /** Runs the event's due timer, if any. */
    runTimer(event) {
      const first = dueTimer(event);
      if (first === null || first[1].due > Date.now()) {
        return;
      }
      const [id, timer] = first;
      if (timer.repeat) {
        timer.due = Date.now() + timer.ms;
      } else {
        event.timers.delete(id);
      }
      try {
        timer.callback(...timer.args);
      } catch (error) {
        fail(event, error);
      }
    },

    /** Ends the event: its timers left are dropped. */
    finish(event) {
      event.timers.clear();
      if (current === event) {
        current = null;
      }
    },

    describe,

    isClass(value) {
      return typeof value === "function" && /^class\b/.test(Function.prototype.toString.call(value));
    },
  };
});
