package dev.dormouse.js.globals;

import java.util.Arrays;
import org.graalvm.polyglot.Context;

/**
 * Measures what the globals cost an activation: a fresh context on the shared engine with __host
 * defined and every globals file evaluated (what the runtime does per activation), against a bare
 * context of the same engine, the two interleaved. Run by hand (docs/javascript-globals.md gives
 * the command and the figure); not a test, as the time depends on the machine.
 */
final class GlobalsCost {

  private GlobalsCost() {}

  public static void main(String[] args) {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    long cold = System.nanoTime();
    new GlobalsContext().close();
    System.out.printf(
        "first context of the engine (parses the files): %.0f ms%n",
        (System.nanoTime() - cold) / 1e6);
    long[] bare = new long[runs];
    long[] withGlobals = new long[runs];
    for (int i = -warmup; i < runs; i++) {
      long start = System.nanoTime();
      try (Context context = GlobalsContext.sandbox()) {
        context.eval("js", "0");
      }
      long middle = System.nanoTime();
      new GlobalsContext().close();
      long end = System.nanoTime();
      if (i >= 0) {
        bare[i] = middle - start;
        withGlobals[i] = end - middle;
      }
    }
    System.out.println("bare context:         " + summary(bare));
    System.out.println("context with globals: " + summary(withGlobals));
  }

  private static String summary(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format(
        "p50 %.2f ms, p90 %.2f ms, min %.2f ms",
        sorted[sorted.length / 2] / 1e6, sorted[sorted.length * 9 / 10] / 1e6, sorted[0] / 1e6);
  }
}
