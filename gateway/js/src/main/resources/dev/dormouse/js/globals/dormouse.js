// The last globals file: the runtime's internals become the frozen, non-enumerable
// globalThis.__dormouse (serialize, deserialize, requestFrom, responseParts, latin1ToBuffer,
// bufferToLatin1), and the files' shared holder goes away.
(function () {
  "use strict";
  const internal = globalThis.__dormouseInternal;
  delete globalThis.__dormouseInternal;
  Object.defineProperty(globalThis, "__dormouse", {
    value: Object.freeze({ ...internal.exports }),
    enumerable: false,
    writable: false,
    configurable: false,
  });
})();
