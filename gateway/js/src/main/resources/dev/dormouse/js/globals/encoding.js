// TextEncoder and TextDecoder (WHATWG Encoding: UTF-8, and UTF-16LE as workerd has it), atob and
// btoa (forgiving base64), and the latin1 byte-string conversions the runtime crosses the polyglot
// boundary with.
(function () {
  "use strict";
  const internal = globalThis.__dormouseInternal;
  const { define, DOMException } = internal;

  // UTF-8 of a string, lone surrogates as U+FFFD (the USVString conversion).
  const utf8Encode = (input) => {
    const s = String(input);
    const n = s.length;
    let out = new Uint8Array(n + 8);
    let at = 0;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      if (at + 4 > out.length) {
        const bigger = new Uint8Array(out.length * 2 + 8);
        bigger.set(out);
        out = bigger;
      }
      if (c < 0x80) {
        out[at++] = c;
        continue;
      }
      if (c < 0x800) {
        out[at++] = 0xc0 | (c >> 6);
        out[at++] = 0x80 | (c & 63);
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          out[at++] = 0xf0 | (c >> 18);
          out[at++] = 0x80 | ((c >> 12) & 63);
          out[at++] = 0x80 | ((c >> 6) & 63);
          out[at++] = 0x80 | (c & 63);
          continue;
        }
        c = 0xfffd;
      }
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 63);
      out[at++] = 0x80 | (c & 63);
    }
    return out.subarray(0, at);
  };

  const fromCodes = (codes, length) => {
    let s = "";
    for (let i = 0; i < length; i += 8192) {
      s += String.fromCharCode.apply(null, codes.subarray(i, Math.min(i + 8192, length)));
    }
    return s;
  };

  const bytesOf = (input, what) => {
    if (input instanceof ArrayBuffer || input instanceof SharedArrayBuffer) {
      return new Uint8Array(input);
    }
    if (ArrayBuffer.isView(input)) {
      return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
    }
    throw new TypeError(what + ": expected an ArrayBuffer, a typed array or a DataView");
  };

  // The WHATWG UTF-8 decoder, one byte at a time, so that invalid input gives exactly the spec's
  // U+FFFDs (one per maximal invalid subpart) and a stream may be cut anywhere.
  class Utf8Decoder {
    constructor() {
      this.needed = 0;
      this.seen = 0;
      this.point = 0;
      this.lower = 0x80;
      this.upper = 0xbf;
    }
    // Decodes bytes into code units; returns the string. fatal: a TypeError instead of U+FFFD.
    run(bytes, flush, fatal) {
      // At most two units per byte: an error for the pending sequence and the byte itself.
      const units = new Uint16Array(bytes.length * 2 + 2);
      let n = 0;
      const error = () => {
        if (fatal) throw new TypeError("The encoded data was not valid utf-8");
        units[n++] = 0xfffd;
      };
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i];
        if (this.needed === 0) {
          if (b < 0x80) {
            units[n++] = b;
          } else if (b >= 0xc2 && b <= 0xdf) {
            this.needed = 1;
            this.point = b & 0x1f;
          } else if (b >= 0xe0 && b <= 0xef) {
            if (b === 0xe0) this.lower = 0xa0;
            if (b === 0xed) this.upper = 0x9f;
            this.needed = 2;
            this.point = b & 0xf;
          } else if (b >= 0xf0 && b <= 0xf4) {
            if (b === 0xf0) this.lower = 0x90;
            if (b === 0xf4) this.upper = 0x8f;
            this.needed = 3;
            this.point = b & 0x7;
          } else {
            error();
          }
          continue;
        }
        if (b < this.lower || b > this.upper) {
          this.needed = this.seen = this.point = 0;
          this.lower = 0x80;
          this.upper = 0xbf;
          error();
          i--; // the byte starts over
          continue;
        }
        this.lower = 0x80;
        this.upper = 0xbf;
        this.point = (this.point << 6) | (b & 0x3f);
        if (++this.seen !== this.needed) continue;
        const cp = this.point;
        this.needed = this.seen = this.point = 0;
        if (cp >= 0x10000) {
          units[n++] = 0xd800 + ((cp - 0x10000) >> 10);
          units[n++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
        } else {
          units[n++] = cp;
        }
      }
      if (flush && this.needed !== 0) {
        this.needed = this.seen = this.point = 0;
        this.lower = 0x80;
        this.upper = 0xbf;
        error();
      }
      return fromCodes(units, n);
    }
  }

  class Utf16leDecoder {
    constructor() {
      this.lead = -1;
      this.surrogate = -1;
    }
    run(bytes, flush, fatal) {
      const units = new Uint16Array(bytes.length + 2);
      let n = 0;
      const error = () => {
        if (fatal) throw new TypeError("The encoded data was not valid utf-16le");
        units[n++] = 0xfffd;
      };
      const unit = (u) => {
        if (this.surrogate >= 0) {
          const lead = this.surrogate;
          this.surrogate = -1;
          if (u >= 0xdc00 && u <= 0xdfff) {
            units[n++] = lead;
            units[n++] = u;
            return;
          }
          error();
        }
        if (u >= 0xd800 && u <= 0xdbff) this.surrogate = u;
        else if (u >= 0xdc00 && u <= 0xdfff) error();
        else units[n++] = u;
      };
      for (let i = 0; i < bytes.length; i++) {
        if (this.lead < 0) {
          this.lead = bytes[i];
        } else {
          unit(this.lead | (bytes[i] << 8));
          this.lead = -1;
        }
      }
      if (flush && (this.lead >= 0 || this.surrogate >= 0)) {
        this.lead = this.surrogate = -1;
        error();
      }
      return fromCodes(units, n);
    }
  }

  const labels = {
    "utf-8": "utf-8",
    utf8: "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "unicode11utf8": "utf-8",
    "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    "utf-16le": "utf-16le",
    "utf-16": "utf-16le",
    "ucs-2": "utf-16le",
    "unicode": "utf-16le",
    "csunicode": "utf-16le",
    "iso-10646-ucs-2": "utf-16le",
    "unicodefeff": "utf-16le",
  };
  const decoders = { "utf-8": Utf8Decoder, "utf-16le": Utf16leDecoder };
  const decoderState = new WeakMap();
  const decoderOf = (self) => {
    const s = decoderState.get(self);
    if (s === undefined) throw new TypeError("Illegal invocation");
    return s;
  };

  class TextDecoder {
    constructor(label = "utf-8", options = {}) {
      const encoding = labels[String(label).trim().toLowerCase()];
      if (encoding === undefined) {
        throw new RangeError(`The "${label}" encoding is not supported`);
      }
      const opts = options === undefined || options === null ? {} : options;
      decoderState.set(this, {
        encoding,
        fatal: Boolean(opts.fatal),
        ignoreBOM: Boolean(opts.ignoreBOM),
        decoder: null,
        bomSeen: false,
      });
    }
    get encoding() {
      return decoderOf(this).encoding;
    }
    get fatal() {
      return decoderOf(this).fatal;
    }
    get ignoreBOM() {
      return decoderOf(this).ignoreBOM;
    }
    decode(input, options) {
      const s = decoderOf(this);
      const bytes = input === undefined ? new Uint8Array(0) : bytesOf(input, "TextDecoder.decode");
      const stream = options !== undefined && options !== null && Boolean(options.stream);
      if (s.decoder === null) {
        s.decoder = new decoders[s.encoding]();
        s.bomSeen = false;
      }
      let text;
      try {
        text = s.decoder.run(bytes, !stream, s.fatal);
      } catch (e) {
        s.decoder = null;
        throw e;
      }
      if (!s.ignoreBOM && !s.bomSeen && text.length > 0) {
        s.bomSeen = true;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (!stream) s.decoder = null;
      return text;
    }
  }

  class TextEncoder {
    get encoding() {
      return "utf-8";
    }
    encode(input = "") {
      // A copy the size of the result, so the caller's view owns a buffer of exactly its bytes.
      return utf8Encode(input).slice();
    }
    encodeInto(source, destination) {
      if (!(destination instanceof Uint8Array)) {
        throw new TypeError("TextEncoder.encodeInto: destination must be a Uint8Array");
      }
      const bytes = utf8Encode(source);
      // The longest prefix that fits without cutting a character (continuation bytes are 10xxxxxx).
      let written = Math.min(bytes.length, destination.length);
      while (written > 0 && written < bytes.length && (bytes[written] & 0xc0) === 0x80) written--;
      destination.set(bytes.subarray(0, written));
      let read = 0;
      for (let i = 0; i < written; i++) {
        const b = bytes[i];
        if ((b & 0xc0) !== 0x80) read += b >= 0xf0 ? 2 : 1;
      }
      return { read, written };
    }
  }
  Object.defineProperty(TextEncoder.prototype, Symbol.toStringTag, { value: "TextEncoder" });
  Object.defineProperty(TextDecoder.prototype, Symbol.toStringTag, { value: "TextDecoder" });

  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  // Built on the first atob: most activations never decode base64.
  let sextets = null;
  const sextetTable = () => {
    if (sextets === null) {
      sextets = new Int8Array(128).fill(-1);
      for (let i = 0; i < 64; i++) sextets[alphabet.charCodeAt(i)] = i;
    }
    return sextets;
  };
  const invalid = (message) => new DOMException(message, "InvalidCharacterError");

  // latin1 string (chars 0-255) to base64; refuses anything above 0xFF.
  function btoa(data) {
    if (arguments.length === 0) throw new TypeError("btoa: 1 argument required, but only 0 present");
    const s = String(data);
    let out = "";
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i);
      const b = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      const c = i + 2 < s.length ? s.charCodeAt(i + 2) : 0;
      if (a > 0xff || b > 0xff || c > 0xff) {
        throw invalid("btoa: the string contains characters outside of the Latin1 range");
      }
      out +=
        alphabet[a >> 2] +
        alphabet[((a & 3) << 4) | (b >> 4)] +
        (i + 1 < s.length ? alphabet[((b & 15) << 2) | (c >> 6)] : "=") +
        (i + 2 < s.length ? alphabet[c & 63] : "=");
    }
    return out;
  }

  // Forgiving base64 decode (WHATWG Infra) to a latin1 string.
  function atob(data) {
    if (arguments.length === 0) throw new TypeError("atob: 1 argument required, but only 0 present");
    let s = String(data).replace(/[\t\n\f\r ]/g, "");
    if (s.length % 4 === 0) s = s.replace(/==?$/, "");
    if (s.length % 4 === 1) throw invalid("atob: the string is not correctly base64-encoded");
    const table = sextetTable();
    const codes = new Uint8Array((s.length * 3) >> 2);
    let n = 0;
    let buffer = 0;
    let bits = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const v = c < 128 ? table[c] : -1;
      if (v < 0) throw invalid("atob: the string is not correctly base64-encoded");
      buffer = (buffer << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        codes[n++] = (buffer >> bits) & 0xff;
      }
    }
    return fromCodes(codes, n);
  }

  const latin1ToBuffer = (string) => {
    const s = String(string);
    const bytes = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
    return bytes.buffer;
  };
  const bufferToLatin1 = (buffer) => {
    const bytes = bytesOf(buffer, "bufferToLatin1");
    return fromCodes(bytes, bytes.length);
  };

  define(globalThis, { TextEncoder, TextDecoder, atob, btoa });
  Object.assign(internal, { utf8Encode, bytesOf, latin1ToBuffer, bufferToLatin1 });
  Object.assign(internal.exports, { latin1ToBuffer, bufferToLatin1 });
  internal.utf8Decode = (bytes) => new Utf8Decoder().run(bytes, true, false);
})();
