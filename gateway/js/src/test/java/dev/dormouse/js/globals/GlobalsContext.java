package dev.dormouse.js.globals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * A sandboxed GraalJS context (no host access, no I/O) with the globals evaluated as the runtime
 * evaluates them: {@code __host} defined first (randomBytes from SecureRandom, log recorded here),
 * then each file of {@code globals/index.txt} in order, then {@code __host} deleted.
 */
final class GlobalsContext implements AutoCloseable {

  static final String DIR = "/dev/dormouse/js/globals/";
  private static final Engine ENGINE =
      Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
  private static final List<Source> SOURCES = sources();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The lines {@code console} and {@code queueMicrotask} gave the host: "level text". */
  final List<String> logged = new CopyOnWriteArrayList<>();

  private final Context context;

  GlobalsContext() {
    context = sandbox();
    ProxyExecutable randomBytes =
        args -> {
          byte[] bytes = new byte[args[0].asInt()];
          RANDOM.nextBytes(bytes);
          return new String(bytes, StandardCharsets.ISO_8859_1);
        };
    ProxyExecutable log =
        args -> {
          logged.add(args[0].asString() + " " + args[1].asString());
          return null;
        };
    context
        .getBindings("js")
        .putMember(
            "__host",
            ProxyObject.fromMap(
                new java.util.HashMap<>(java.util.Map.of("randomBytes", randomBytes, "log", log))));
    for (Source source : SOURCES) context.eval(source);
    context.eval("js", "delete globalThis.__host");
  }

  /** A context of the shared engine with no host access, I/O, threads or native access. */
  static Context sandbox() {
    return Context.newBuilder("js")
        .engine(ENGINE)
        .allowHostAccess(HostAccess.NONE)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowIO(IOAccess.NONE)
        .allowCreateThread(false)
        .allowNativeAccess(false)
        .allowHostClassLoading(false)
        .build();
  }

  /** The value of a script (run with the microtasks it queued). */
  Value eval(String script) {
    return context.eval("js", script);
  }

  /** The script's value as a string ({@code String(value)}). */
  String string(String script) {
    return context.eval("js", "String((() => {" + script + "\n})())").asString();
  }

  /** What an expression's promise settled with: its value as a string, or "rejected: Name: msg". */
  String settled(String expression) {
    context.eval(
        "js",
        "globalThis.__settled = 'pending'; Promise.resolve((() => "
            + expression
            + ")()).then(v => { globalThis.__settled = String(v) },"
            + " e => { globalThis.__settled = 'rejected: ' + e.name + ': ' + e.message })");
    return context.eval("js", "globalThis.__settled").asString();
  }

  /** What a script throws, as "Name: message" (plus the DOMException code, if any), or "none". */
  String thrown(String script) {
    return context
        .eval(
            "js",
            "(() => { try { (() => {"
                + script
                + "\n})(); return 'none' } catch (e) {"
                + " return e.name + ': ' + e.message"
                + " + (e instanceof DOMException ? ' [' + e.code + ']' : '') } })()")
        .asString();
  }

  static List<Source> sources() {
    if (SOURCES != null) return SOURCES;
    List<Source> sources = new ArrayList<>();
    for (String line : resource("index.txt").split("\n")) {
      String name = line.strip();
      if (name.isEmpty()) continue;
      sources.add(Source.newBuilder("js", resource(name), name).cached(true).buildLiteral());
    }
    return List.copyOf(sources);
  }

  private static String resource(String name) {
    try (InputStream in = GlobalsContext.class.getResourceAsStream(DIR + name)) {
      if (in == null) throw new IllegalStateException("no resource " + DIR + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
