// Headers (WHATWG Fetch): names case-insensitive, values of one name combined with ", " (except
// Set-Cookie, kept apart: getSetCookie()), iteration sorted by name. Immutable headers (those of
// an incoming request and of Response.redirect/error) refuse changes with a TypeError, as workerd.
(function () {
  "use strict";
  const internal = globalThis.__dormouseInternal;
  const { define } = internal;

  const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  const badValue = /[\0\r\n]/;
  const name = (n) => {
    const s = String(n);
    if (!token.test(s)) throw new TypeError(`Invalid header name: "${s}"`);
    return s.toLowerCase();
  };
  const value = (v) => {
    const s = String(v).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
    if (badValue.test(s)) throw new TypeError(`Invalid header value: "${s}"`);
    return s;
  };

  // Per instance: a Map of lower-case name -> list of values, and whether it is immutable.
  const state = new WeakMap();
  const of = (self) => {
    const s = state.get(self);
    if (s === undefined) throw new TypeError("Illegal invocation");
    return s;
  };
  const mutable = (self) => {
    const s = of(self);
    if (s.immutable) throw new TypeError("Can't modify immutable headers.");
    return s.map;
  };

  // The sorted, combined list ("sort and combine"): what iteration and the wire see.
  const combined = (map) => {
    const out = [];
    for (const n of Array.from(map.keys()).sort()) {
      const values = map.get(n);
      if (n === "set-cookie") for (const v of values) out.push([n, v]);
      else out.push([n, values.join(", ")]);
    }
    return out;
  };

  class Headers {
    constructor(init) {
      state.set(this, { map: new Map(), immutable: false });
      if (init === undefined || init === null) return;
      if (typeof init !== "object" && typeof init !== "function") {
        throw new TypeError("Headers: the argument must be an object");
      }
      if (init instanceof Headers) {
        for (const [n, values] of of(init).map) of(this).map.set(n, values.slice());
      } else if (typeof init[Symbol.iterator] === "function") {
        for (const pair of init) {
          const items = typeof pair === "string" ? null : Array.from(pair);
          if (items === null || items.length !== 2) {
            throw new TypeError("Headers: each header must be a [name, value] pair");
          }
          this.append(items[0], items[1]);
        }
      } else {
        for (const k of Object.keys(init)) this.append(k, init[k]);
      }
    }
    append(n, v) {
      const map = mutable(this);
      const key = name(n);
      const list = map.get(key);
      if (list === undefined) map.set(key, [value(v)]);
      else list.push(value(v));
    }
    set(n, v) {
      mutable(this).set(name(n), [value(v)]);
    }
    delete(n) {
      mutable(this).delete(name(n));
    }
    get(n) {
      const list = of(this).map.get(name(n));
      return list === undefined ? null : list.join(", ");
    }
    has(n) {
      return of(this).map.has(name(n));
    }
    getSetCookie() {
      const list = of(this).map.get("set-cookie");
      return list === undefined ? [] : list.slice();
    }
    // workerd's own, for Set-Cookie only.
    getAll(n) {
      const key = name(n);
      if (key !== "set-cookie") throw new TypeError('getAll() can only be used with "set-cookie".');
      return this.getSetCookie();
    }
    forEach(callback, thisArg) {
      for (const [n, v] of combined(of(this).map)) callback.call(thisArg, v, n, this);
    }
    *entries() {
      yield* combined(of(this).map);
    }
    *keys() {
      for (const [n] of combined(of(this).map)) yield n;
    }
    *values() {
      for (const [, v] of combined(of(this).map)) yield v;
    }
    [Symbol.iterator]() {
      return this.entries();
    }
  }
  Object.defineProperty(Headers.prototype, Symbol.toStringTag, { value: "Headers" });
  internal.platform.add(Headers.prototype);

  internal.headers = {
    // The wire's list: [[name, value], ...], sorted, combined, Set-Cookie apart.
    list: (headers) => combined(of(headers).map),
    freeze: (headers) => {
      of(headers).immutable = true;
      return headers;
    },
  };
  define(globalThis, { Headers });
})();
