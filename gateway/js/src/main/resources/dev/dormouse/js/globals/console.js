// console: log/info/warn/error/debug (and trace, assert) to the owner's log through the host, the
// arguments formatted as Node's console formats them (%s %d %i %f %j %o %O %c %%, objects inspected).
(function () {
  "use strict";
  const host = globalThis.__host;
  const internal = globalThis.__dormouseInternal;
  const { define } = internal;
  const { URL, Headers, Request, Response } = globalThis;

  const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
  const quote = (s) => "'" + s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n") + "'";
  const MAX_DEPTH = 2;
  const MAX_ITEMS = 100;

  const inspect = (value, depth, seen) => {
    switch (typeof value) {
      case "string":
        return depth === 0 ? value : quote(value);
      case "bigint":
        return value + "n";
      case "symbol":
        return value.toString();
      case "undefined":
        return "undefined";
      case "number":
        return Object.is(value, -0) ? "-0" : String(value);
      case "boolean":
        return String(value);
      case "function":
        return `[${value.constructor && value.constructor.name === "AsyncFunction" ? "AsyncFunction" : "Function"}: ${value.name || "(anonymous)"}]`;
    }
    if (value === null) return "null";
    if (seen.includes(value)) return "[Circular]";
    if (value instanceof Error) return value.stack ? String(value.stack) : String(value);
    if (value instanceof Date) return isNaN(value) ? "Invalid Date" : value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (value instanceof URL) return `URL '${value.href}'`;
    const nested = seen.concat([value]);
    const show = (v) => inspect(v, depth + 1, nested);
    // Beyond the depth Node shows, a container is named, not walked.
    const items = (label, prefix, open, close, list) => {
      if (depth > MAX_DEPTH) return `[${label}]`;
      const all = list();
      const parts = all.slice(0, MAX_ITEMS);
      if (all.length > MAX_ITEMS) parts.push(`... ${all.length - MAX_ITEMS} more items`);
      return parts.length === 0
        ? `${prefix}${open}${close}`
        : `${prefix}${open} ${parts.join(", ")} ${close}`;
    };
    if (Array.isArray(value)) return items("Array", "", "[", "]", () => value.map(show));
    if (value instanceof Map) {
      return items("Map", `Map(${value.size}) `, "{", "}", () =>
        Array.from(value, ([k, v]) => show(k) + " => " + show(v))
      );
    }
    if (value instanceof Set) {
      return items("Set", `Set(${value.size}) `, "{", "}", () => Array.from(value, show));
    }
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const name = value.constructor.name;
      return items(name, `${name}(${value.length}) `, "[", "]", () => Array.from(value, show));
    }
    if (value instanceof ArrayBuffer) return `ArrayBuffer { byteLength: ${value.byteLength} }`;
    if (value instanceof Promise) return "Promise {}";
    if (value instanceof Headers) {
      return items("Headers", "Headers ", "{", "}", () =>
        Array.from(value, ([k, v]) => `${quote(k)} => ${quote(v)}`)
      );
    }
    if (value instanceof Request) {
      return "Request " + inspect({ method: value.method, url: value.url }, depth, nested);
    }
    if (value instanceof Response) {
      return "Response " + inspect({ status: value.status, statusText: value.statusText }, depth, nested);
    }
    const proto = Object.getPrototypeOf(value);
    const name =
      proto === null
        ? "[Object: null prototype]"
        : proto.constructor && typeof proto.constructor.name === "string"
          ? proto.constructor.name
          : "";
    const prefix = name && name !== "Object" ? name + " " : "";
    return items(name && name[0] !== "[" ? name : "Object", prefix, "{", "}", () =>
      Object.keys(value).map((k) => (identifier.test(k) ? k : quote(k)) + ": " + show(value[k]))
    );
  };

  // Node's util.format.
  const format = (args) => {
    let out = "";
    let rest = 0;
    if (typeof args[0] === "string") {
      const template = args[0];
      rest = 1;
      out = template.replace(/%[sdifjoOc%]/g, (spec) => {
        if (spec === "%%") return "%";
        if (rest >= args.length) return spec;
        const a = args[rest++];
        switch (spec) {
          case "%s":
            return typeof a === "string" ? a : typeof a === "object" && a !== null ? inspect(a, 1, []) : inspect(a, 0, []);
          case "%d":
          case "%i": {
            if (typeof a === "bigint") return a + "n";
            const n = Number(a);
            return String(spec === "%i" ? Math.trunc(n) : n);
          }
          case "%f":
            return String(parseFloat(a));
          case "%j":
            try {
              return JSON.stringify(a);
            } catch (e) {
              return "[Circular]";
            }
          case "%c":
            return "";
          default:
            return inspect(a, 1, []);
        }
      });
    }
    for (let i = rest; i < args.length; i++) {
      out += (i === 0 ? "" : " ") + inspect(args[i], 0, []);
    }
    return out;
  };

  const emit = (level) =>
    function () {
      host.log(level, format(Array.from(arguments)));
    };
  const console = {
    log: emit("info"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    debug: emit("debug"),
    trace() {
      const stack = String(new Error().stack || "").split("\n").slice(2).join("\n");
      host.log("debug", "Trace: " + format(Array.from(arguments)) + (stack ? "\n" + stack : ""));
    },
    assert(condition, ...args) {
      if (!condition) host.log("error", "Assertion failed" + (args.length ? ": " + format(args) : ""));
    },
  };
  define(globalThis, { console });
})();
