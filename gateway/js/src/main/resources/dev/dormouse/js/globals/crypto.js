// crypto.randomUUID() and crypto.getRandomValues() (WebCrypto), from the host's SecureRandom.
// crypto.subtle is not provided.
(function () {
  "use strict";
  const host = globalThis.__host;
  const internal = globalThis.__dormouseInternal;
  const { define, DOMException } = internal;

  const randomBytes = (n) => {
    const s = String(host.randomBytes(n));
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = s.charCodeAt(i);
    return bytes;
  };
  const integerArrays = [
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    BigInt64Array,
    BigUint64Array,
  ];

  class Crypto {
    constructor(key) {
      if (key !== integerArrays) throw new TypeError("Illegal constructor");
    }
    getRandomValues(array) {
      if (!integerArrays.some((type) => array instanceof type)) {
        throw new DOMException(
          "crypto.getRandomValues: the argument must be an integer typed array",
          "TypeMismatchError"
        );
      }
      if (array.byteLength > 65536) {
        throw new DOMException(
          `crypto.getRandomValues: ${array.byteLength} bytes asked, at most 65536 allowed`,
          "QuotaExceededError"
        );
      }
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(
        randomBytes(array.byteLength)
      );
      return array;
    }
    randomUUID() {
      const b = randomBytes(16);
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      let s = "";
      for (let i = 0; i < 16; i++) {
        if (i === 4 || i === 6 || i === 8 || i === 10) s += "-";
        s += (b[i] + 256).toString(16).slice(1);
      }
      return s;
    }
  }
  Object.defineProperty(Crypto.prototype, Symbol.toStringTag, { value: "Crypto" });
  internal.platform.add(Crypto.prototype);
  define(globalThis, { crypto: new Crypto(integerArrays), Crypto });
})();
