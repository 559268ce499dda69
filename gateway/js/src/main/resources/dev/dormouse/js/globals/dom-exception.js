// DOMException (WebIDL), and the hidden holder the later globals files share their internals
// through; dormouse.js, the last file, turns the holder into the frozen globalThis.__dormouse.
(function () {
  "use strict";
  const define = (target, props) => {
    for (const name of Object.keys(props)) {
      Object.defineProperty(target, name, {
        value: props[name],
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  };
  // Legacy codes of the names that have one (WebIDL's error names table).
  const codes = {
    IndexSizeError: 1,
    HierarchyRequestError: 3,
    WrongDocumentError: 4,
    InvalidCharacterError: 5,
    NoModificationAllowedError: 7,
    NotFoundError: 8,
    NotSupportedError: 9,
    InvalidStateError: 11,
    SyntaxError: 12,
    InvalidModificationError: 13,
    NamespaceError: 14,
    InvalidAccessError: 15,
    TypeMismatchError: 17,
    SecurityError: 18,
    NetworkError: 19,
    AbortError: 20,
    URLMismatchError: 21,
    QuotaExceededError: 22,
    TimeoutError: 23,
    InvalidNodeTypeError: 24,
    DataCloneError: 25,
  };
  const state = new WeakMap();

  class DOMException extends Error {
    constructor(message = "", options = "Error") {
      super();
      const name =
        options !== null && typeof options === "object"
          ? options.name === undefined
            ? "Error"
            : String(options.name)
          : String(options);
      state.set(this, { name, message: String(message) });
      // Error() gave this an own empty message and a stack naming "Error"; the name and message
      // live on the prototype as WebIDL attributes, so the stack is rebuilt with them.
      delete this.message;
      if (options !== null && typeof options === "object" && "cause" in options) {
        define(this, { cause: options.cause });
      }
      if (typeof this.stack === "string") {
        const lines = this.stack.split("\n");
        lines[0] = message === "" ? name : name + ": " + message;
        define(this, { stack: lines.join("\n") });
      }
    }
    get name() {
      return brand(this).name;
    }
    get message() {
      return brand(this).message;
    }
    get code() {
      return codes[brand(this).name] || 0;
    }
  }
  const brand = (self) => {
    const s = state.get(self);
    if (s === undefined) throw new TypeError("Illegal invocation");
    return s;
  };
  const constants = {
    INDEX_SIZE_ERR: 1,
    DOMSTRING_SIZE_ERR: 2,
    HIERARCHY_REQUEST_ERR: 3,
    WRONG_DOCUMENT_ERR: 4,
    INVALID_CHARACTER_ERR: 5,
    NO_DATA_ALLOWED_ERR: 6,
    NO_MODIFICATION_ALLOWED_ERR: 7,
    NOT_FOUND_ERR: 8,
    NOT_SUPPORTED_ERR: 9,
    INUSE_ATTRIBUTE_ERR: 10,
    INVALID_STATE_ERR: 11,
    SYNTAX_ERR: 12,
    INVALID_MODIFICATION_ERR: 13,
    NAMESPACE_ERR: 14,
    INVALID_ACCESS_ERR: 15,
    VALIDATION_ERR: 16,
    TYPE_MISMATCH_ERR: 17,
    SECURITY_ERR: 18,
    NETWORK_ERR: 19,
    ABORT_ERR: 20,
    URL_MISMATCH_ERR: 21,
    QUOTA_EXCEEDED_ERR: 22,
    TIMEOUT_ERR: 23,
    INVALID_NODE_TYPE_ERR: 24,
    DATA_CLONE_ERR: 25,
  };
  const descriptors = {};
  for (const name of Object.keys(constants)) {
    descriptors[name] = { value: constants[name], enumerable: true };
  }
  Object.defineProperties(DOMException, descriptors);
  Object.defineProperties(DOMException.prototype, descriptors);
  Object.defineProperty(DOMException.prototype, Symbol.toStringTag, {
    value: "DOMException",
    configurable: true,
  });

  // Internals shared by the globals files, never seen by room code (dormouse.js removes it).
  const internal = {
    define,
    DOMException,
    isDOMException: (value) => state.has(value),
    // Makes the values a class's instances print and clone as platform objects: structured clone
    // refuses them (DataCloneError), as browsers and workerd refuse their platform objects.
    platform: new WeakSet(),
    exports: {},
  };
  define(globalThis, { DOMException, __dormouseInternal: internal });
})();
