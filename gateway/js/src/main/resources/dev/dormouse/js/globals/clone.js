// Structured clone (HTML) as a string, and structuredClone() on top of it.
//
// The string is JSON. A value JSON holds is written as its plain JSON (so a stored object reads as
// itself in Redis); everything else is a one-key object whose key starts with "$":
//   {"$u":0} undefined     {"$n":"NaN"|"Infinity"|"-Infinity"|"-0"}     {"$b":"123"} BigInt
//   {"$D":ms} Date         {"$R":[source, flags]}       {"$M":[k, v, ...]}   {"$S":[v, ...]}
//   {"$B":"base64"} ArrayBuffer    {"$V":[type, buffer, byteOffset, length]} typed array/DataView
//   {"$E":[name, message|null, stack|null]} Error    {"$X":[name, message]} DOMException
//   {"$W":primitive} Boolean/Number/String/BigInt object    {"$A":[length, k, v, ...]} an array
//   with holes or extra properties    {"$o":{...}} a plain object whose only key starts with "$"
//   {"$r":n} the n-th object (0-based, in the order first written): shared and cyclic references.
(function () {
  "use strict";
  const internal = globalThis.__dormouseInternal;
  const { define, DOMException, latin1ToBuffer, bufferToLatin1 } = internal;
  const { btoa, atob } = globalThis;

  const fail = (what) =>
    new DOMException(what + " could not be cloned.", "DataCloneError");
  const views = {
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
    BigInt64Array,
    BigUint64Array,
    DataView,
  };
  const viewName = (v) => {
    for (const name of Object.keys(views)) if (v instanceof views[name]) return name;
    return null;
  };
  const errorNames = [
    "Error",
    "EvalError",
    "RangeError",
    "ReferenceError",
    "SyntaxError",
    "TypeError",
    "URIError",
  ];
  const isPlatform = (v) => {
    for (let p = Object.getPrototypeOf(v); p !== null; p = Object.getPrototypeOf(p)) {
      if (internal.platform.has(p)) return true;
    }
    // The runtime's WebSocket (defined after this file) is a platform object too.
    const ws = globalThis.WebSocket;
    return typeof ws === "function" && v instanceof ws;
  };

  const number = (n) => {
    if (n !== n) return { $n: "NaN" };
    if (n === Infinity) return { $n: "Infinity" };
    if (n === -Infinity) return { $n: "-Infinity" };
    if (n === 0 && 1 / n < 0) return { $n: "-0" };
    return n;
  };

  const encoder = () => {
    const seen = new Map();
    const encode = (v) => {
      switch (typeof v) {
        case "string":
        case "boolean":
          return v;
        case "number":
          return number(v);
        case "undefined":
          return { $u: 0 };
        case "bigint":
          return { $b: v.toString() };
        case "symbol":
          throw fail("Symbol()");
        case "function":
          throw fail(String(v).slice(0, 40).replace(/\s+/g, " ") + "...");
      }
      if (v === null) return null;
      const id = seen.get(v);
      if (id !== undefined) return { $r: id };
      seen.set(v, seen.size);
      if (Array.isArray(v)) {
        // Index keys come first, ascending: so these are exactly 0..length-1, nothing else.
        const keys = Object.keys(v);
        const n = v.length;
        if (keys.length === n && (n === 0 || keys[n - 1] === String(n - 1))) {
          return v.map((item) => encode(item));
        }
        const out = [v.length];
        for (const k of keys) out.push(k, encode(v[k]));
        return { $A: out };
      }
      if (v instanceof Date) return { $D: Date.prototype.getTime.call(v) };
      if (v instanceof RegExp) return { $R: [v.source, v.flags] };
      if (v instanceof Map) {
        const out = [];
        for (const [k, val] of Map.prototype.entries.call(v)) out.push(encode(k), encode(val));
        return { $M: out };
      }
      if (v instanceof Set) {
        const out = [];
        for (const val of Set.prototype.values.call(v)) out.push(encode(val));
        return { $S: out };
      }
      if (v instanceof ArrayBuffer) return { $B: btoa(bufferToLatin1(v)) };
      if (ArrayBuffer.isView(v)) {
        const length = v instanceof DataView ? v.byteLength : v.length;
        return { $V: [viewName(v), encode(v.buffer), v.byteOffset, length] };
      }
      if (internal.isDOMException(v)) return { $X: [v.name, v.message] };
      if (v instanceof Error) {
        const name = errorNames.includes(v.name) ? v.name : "Error";
        const own = (k) => {
          const d = Object.getOwnPropertyDescriptor(v, k);
          return d && "value" in d ? String(d.value) : null;
        };
        return { $E: [name, own("message"), own("stack")] };
      }
      if (v instanceof Boolean) return { $W: Boolean.prototype.valueOf.call(v) };
      if (v instanceof Number) return { $W: number(Number.prototype.valueOf.call(v)) };
      if (v instanceof String) return { $W: String.prototype.valueOf.call(v) };
      if (v instanceof BigInt) return { $W: { $b: BigInt.prototype.toString.call(v) } };
      if (v instanceof SharedArrayBuffer) throw fail("SharedArrayBuffer");
      if (
        v instanceof Promise ||
        v instanceof WeakMap ||
        v instanceof WeakSet ||
        v instanceof WeakRef ||
        v instanceof Symbol ||
        isPlatform(v)
      ) {
        throw fail(Object.prototype.toString.call(v));
      }
      const out = {};
      const keys = Object.keys(v);
      for (const k of keys) {
        const item = encode(v[k]);
        if (k === "__proto__") Object.defineProperty(out, k, { value: item, enumerable: true });
        else out[k] = item;
      }
      return keys.length === 1 && keys[0][0] === "$" ? { $o: out } : out;
    };
    return encode;
  };

  const serialize = (value) => JSON.stringify(encoder()(value));

  const corrupt = () => new DOMException("The serialized value is corrupt.", "DataCloneError");
  const decoder = () => {
    const objects = [];
    const take = (object) => {
      objects.push(object);
      return object;
    };
    const plain = (json) => {
      const out = take({});
      for (const k of Object.keys(json)) {
        const item = decode(json[k]);
        if (k === "__proto__") {
          Object.defineProperty(out, k, {
            value: item,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          out[k] = item;
        }
      }
      return out;
    };
    const decodeNumber = (s) => {
      switch (s) {
        case "NaN":
          return NaN;
        case "Infinity":
          return Infinity;
        case "-Infinity":
          return -Infinity;
        case "-0":
          return -0;
      }
      throw corrupt();
    };
    const tagged = (tag, x) => {
      switch (tag) {
        case "$u":
          return undefined;
        case "$n":
          return decodeNumber(x);
        case "$b":
          return BigInt(x);
        case "$r":
          if (!(x in objects)) throw corrupt();
          return objects[x];
        case "$o":
          return plain(x);
        case "$D":
          return take(new Date(x === null ? NaN : x));
        case "$R":
          return take(new RegExp(x[0], x[1]));
        case "$M": {
          const map = take(new Map());
          for (let i = 0; i < x.length; i += 2) map.set(decode(x[i]), decode(x[i + 1]));
          return map;
        }
        case "$S": {
          const set = take(new Set());
          for (const item of x) set.add(decode(item));
          return set;
        }
        case "$B":
          return take(latin1ToBuffer(atob(x)));
        case "$V": {
          const type = views[x[0]];
          if (type === undefined) throw corrupt();
          const slot = objects.length;
          objects.push(undefined);
          const buffer = decode(x[1]);
          if (!(buffer instanceof ArrayBuffer)) throw corrupt();
          return (objects[slot] = new type(buffer, x[2], x[3]));
        }
        case "$X":
          return take(new DOMException(x[1], x[0]));
        case "$E": {
          const type = errorNames.includes(x[0]) ? globalThis[x[0]] : Error;
          const error = take(Object.create(type.prototype));
          for (const [k, i] of [["message", 1], ["stack", 2]]) {
            if (x[i] !== null) {
              Object.defineProperty(error, k, {
                value: x[i],
                writable: true,
                configurable: true,
              });
            }
          }
          return error;
        }
        case "$W": {
          const primitive = decode(x);
          return take(Object(primitive));
        }
        case "$A": {
          const array = take(new Array(x[0]));
          for (let i = 1; i < x.length; i += 2) array[x[i]] = decode(x[i + 1]);
          return array;
        }
      }
      throw corrupt();
    };
    const decode = (json) => {
      if (json === null || typeof json !== "object") return json;
      if (Array.isArray(json)) {
        const array = take(new Array(json.length));
        for (let i = 0; i < json.length; i++) array[i] = decode(json[i]);
        return array;
      }
      const keys = Object.keys(json);
      if (keys.length === 1 && keys[0][0] === "$") return tagged(keys[0], json[keys[0]]);
      return plain(json);
    };
    return decode;
  };

  const deserialize = (string) => {
    const text = String(string);
    let json;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw corrupt();
    }
    // Every tag is a key starting with "$", so a text without `"$` is plain JSON, and JSON.parse
    // has already built the value (fresh objects, "__proto__" as an own property); skipping the
    // decoder's second walk halves the work of the common attachment.
    return text.includes('"$') ? decoder()(json) : json;
  };

  function structuredClone(value, options) {
    if (arguments.length === 0) {
      throw new TypeError("structuredClone: 1 argument required, but only 0 present");
    }
    const transfer = options === undefined || options === null ? undefined : options.transfer;
    if (transfer !== undefined && Array.from(transfer).length > 0) {
      throw new DOMException("structuredClone: transfer is not supported", "DataCloneError");
    }
    return deserialize(serialize(value));
  }

  define(globalThis, { structuredClone });
  Object.assign(internal.exports, { serialize, deserialize });
})();
