// queueMicrotask, performance.now() and navigator, as a Worker has them.
(function () {
  "use strict";
  const host = globalThis.__host;
  const internal = globalThis.__dormouseInternal;
  const { define } = internal;

  // A throwing microtask is reported, as an uncaught error is, and does not stop the others.
  function queueMicrotask(callback) {
    if (typeof callback !== "function") {
      throw new TypeError("queueMicrotask: the argument must be a function");
    }
    Promise.resolve().then(() => {
      try {
        callback();
      } catch (e) {
        host.log("error", "Uncaught (in microtask) " + (e && e.stack ? e.stack : String(e)));
      }
    });
  }

  const timeOrigin = Date.now();
  class Performance {
    get timeOrigin() {
      return timeOrigin;
    }
    now() {
      return Date.now() - timeOrigin;
    }
  }
  class Navigator {
    get userAgent() {
      return "Dormouse";
    }
    get hardwareConcurrency() {
      return 1;
    }
  }
  internal.platform.add(Performance.prototype);
  internal.platform.add(Navigator.prototype);
  define(globalThis, {
    queueMicrotask,
    performance: new Performance(),
    navigator: new Navigator(),
  });
})();
