package dev.dormouse.js;

import dev.dormouse.room.RoomContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

/**
 * One activation's JavaScript: a fresh context with the globals, the runtime and the module
 * evaluated, and the driving of its events. An event ends when its promises settle; until then
 * its timers run here, on the calling thread, waiting between them. {@link #close} may come from
 * another thread while an event runs: it cancels the code running (GraalJS cancels the context)
 * or ends the wait for a timer.
 */
final class JsActivation implements AutoCloseable {

  /** The global the module's entry puts the module's namespace in, taken away at once. */
  static final String EXPORTS = "__dormouseExports";

  private final Context context;
  private final String rootPrefix;
  private final Value runtime;
  private Value exported;
  private final Object lock = new Object();
  private volatile boolean closed;

  private JsActivation(
      Context context, JsModule module, RoomContext ctx, ActivationSockets sockets) {
    this.context = context;
    this.rootPrefix = module.files().root() + "/";
    Value raise = context.eval(JsEngine.RAISE);
    RoomLog log = new RoomLog(ctx.key().toString());
    HostObject globalsHost = new HostObject(raise);
    log.addTo(globalsHost);
    Value bindings = context.getBindings(JsEngine.LANGUAGE);
    bindings.putMember("__host", globalsHost);
    JsEngine.evalGlobals(context);
    bindings.removeMember("__host");

    HostObject host = new HostObject(raise);
    log.addTo(host);
    new SocketFunctions(ctx, sockets).addTo(host);
    new StorageFunctions(ctx).addTo(host);
    host.with("env", args -> env(ctx.env()));
    runtime = context.eval(JsEngine.RUNTIME).execute(host);
  }

  /** A context with the globals and the runtime, ready for {@link #evaluate}. */
  static JsActivation open(JsModule module, RoomContext ctx, ActivationSockets sockets) {
    Context context = JsEngine.newContext(module.files());
    try {
      return new JsActivation(context, module, ctx, sockets);
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  /**
   * Evaluates the module (and what it imports); {@link #close} stops a module whose top level runs
   * away.
   *
   * @throws PolyglotException when the module does not compile or its evaluation throws
   */
  void evaluate(JsModule module) {
    context.eval(module.source());
    Value bindings = context.getBindings(JsEngine.LANGUAGE);
    exported = bindings.getMember(EXPORTS).getMember(module.exportName());
    bindings.removeMember(EXPORTS);
  }

  /** The module's export that names the room's class; null when there is none. */
  Value exported() {
    return exported == null || exported.isNull() ? null : exported;
  }

  boolean exportIsClass() {
    return exported() != null && runtime.invokeMember("isClass", exported).asBoolean();
  }

  /**
   * Runs the runtime's entry point {@code entry} as an event, to its end.
   *
   * @return the event's value
   * @throws JsHandlerException when the code threw, its promise rejected or can never settle, or the
   *     activation was closed meanwhile
   */
  Value run(String entry, Object... args) {
    if (closed) {
      throw new JsHandlerException("the room's JavaScript context is closed");
    }
    Value event;
    try {
      event = runtime.invokeMember(entry, args);
    } catch (PolyglotException e) {
      throw failure(e);
    }
    try {
      drive(event);
      if (event.getMember("failed").asBoolean()) {
        throw new JsHandlerException(describe(event.getMember("error")));
      }
      return event.getMember("value");
    } catch (PolyglotException e) {
      throw failure(e);
    } finally {
      if (!closed) {
        runtime.invokeMember("finish", event);
      }
    }
  }

  private void drive(Value event) {
    while (!event.getMember("done").asBoolean()) {
      long delay = runtime.invokeMember("nextTimer", event).asLong();
      if (delay < 0) {
        throw new JsHandlerException(
            "the handler's promise can never settle: it waits for something that no timer of the"
                + " event will bring (an event ends when its promise settles)");
      }
      awaitTimer(delay);
      runtime.invokeMember("runTimer", event);
    }
  }

  private void awaitTimer(long delayMillis) {
    long until = System.nanoTime() + delayMillis * 1_000_000;
    synchronized (lock) {
      long left;
      while (!closed && (left = until - System.nanoTime()) > 0) {
        try {
          lock.wait(left / 1_000_000, (int) (left % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new JsHandlerException("interrupted while the room's timer was pending", e);
        }
      }
    }
    if (closed) {
      throw new JsHandlerException("the room's JavaScript context was closed during the event");
    }
  }

  private JsHandlerException failure(PolyglotException e) {
    if (e.isCancelled() || closed) {
      return new JsHandlerException("the room's JavaScript was stopped: its context was closed", e);
    }
    if (e.isGuestException() && e.getGuestObject() != null) {
      return new JsHandlerException(describe(e.getGuestObject()), e);
    }
    return new JsHandlerException(e.getMessage(), e);
  }

  /** The error and its stack, the room's files named by their paths in the library folder. */
  private String describe(Value error) {
    String described;
    try {
      described = runtime.invokeMember("describe", error).asString();
    } catch (PolyglotException e) {
      described = String.valueOf(error);
    }
    return described.replace(rootPrefix, "");
  }

  private static ProxyArray env(Map<String, String> env) {
    List<Object> flat = new ArrayList<>(env.size() * 2);
    env.forEach(
        (key, value) -> {
          flat.add(key);
          flat.add(value);
        });
    return ProxyArray.fromList(flat);
  }

  /** Stops whatever runs in the context, from any thread; once. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
      lock.notifyAll();
    }
    context.close(true);
  }
}
