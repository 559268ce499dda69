package dev.dormouse.js;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The one GraalJS engine of the process, shared by every room's contexts so that code parsed once
 * (the globals, the runtime, each module) is not parsed again per activation, and the sandbox every
 * context gets: no host access or class lookup, no threads, processes, native code or environment,
 * and of files only the module's (read-only, {@link ModuleFileSystem}).
 */
final class JsEngine {

  static final String LANGUAGE = "js";

  private static final Engine ENGINE =
      Engine.newBuilder(LANGUAGE)
          // On a stock JDK the engine runs interpreted; that is expected here, not worth a warning.
          .option("engine.WarnInterpreterOnly", "false")
          .out(OutputStream.nullOutputStream())
          .err(OutputStream.nullOutputStream())
          .build();

  /** H2's globals (Request, Response, console…), scripts in the order their index lists. */
  private static final List<Source> GLOBALS = globals();

  /** The runtime: a function of the host bridge returning what the Java side calls. */
  static final Source RUNTIME = script("runtime/runtime.js");

  /**
   * Takes away what GraalJS adds of Java to a context's globals: inert without host access, but
   * nothing a Worker has, and no module should find it.
   */
  private static final Source SCRUB =
      Source.newBuilder(
              LANGUAGE,
              "for (const name of ['Java', 'Packages', 'java', 'javax', 'javafx', 'com', 'org',"
                  + " 'edu', 'net', 'Polyglot', 'Graal']) { delete globalThis[name]; }",
              "dormouse:scrub")
          .buildLiteral();

  /** {@code (name, message)}: throws a new error of that name, for {@link HostObject}. */
  static final Source RAISE =
      Source.newBuilder(
              LANGUAGE,
              "(name, message) => { throw new globalThis[name](message); }",
              "dormouse:raise")
          .buildLiteral();

  private JsEngine() {}

  /** A fresh, sandboxed context whose only files are {@code files}. */
  static Context newContext(ModuleFiles files) {
    return Context.newBuilder(LANGUAGE)
        .engine(ENGINE)
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLookup(name -> false)
        .allowHostClassLoading(false)
        .allowCreateThread(false)
        .allowCreateProcess(false)
        .allowNativeAccess(false)
        .allowPolyglotAccess(PolyglotAccess.NONE)
        .allowEnvironmentAccess(EnvironmentAccess.NONE)
        .allowIO(
            IOAccess.newBuilder()
                .allowHostSocketAccess(false)
                .fileSystem(new ModuleFileSystem(files))
                .build())
        .in(new ByteArrayInputStream(new byte[0]))
        .out(OutputStream.nullOutputStream())
        .err(OutputStream.nullOutputStream())
        // GraalJS's shell builtins (load, print, quit…) and its own console are not a Worker's.
        .option("js.load", "false")
        .option("js.print", "false")
        .option("js.console", "false")
        .option("js.graal-builtin", "false")
        .build();
  }

  /** Evaluates the globals in {@code context}, in order, where nothing of Java is left. */
  static void evalGlobals(Context context) {
    context.eval(SCRUB);
    for (Source source : GLOBALS) {
      context.eval(source);
    }
  }

  private static List<Source> globals() {
    List<Source> sources = new ArrayList<>();
    String index =
        new String(ModuleFileSystem.resource("globals/index.txt"), StandardCharsets.UTF_8);
    for (String line : index.split("\n")) {
      if (!line.isBlank()) {
        sources.add(script("globals/" + line.strip()));
      }
    }
    return List.copyOf(sources);
  }

  private static Source script(String resource) {
    String text = new String(ModuleFileSystem.resource(resource), StandardCharsets.UTF_8);
    return Source.newBuilder(LANGUAGE, text, "dormouse:" + resource).cached(true).buildLiteral();
  }
}
