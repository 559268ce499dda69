package dev.dormouse.e2e.cluster;

import dev.dormouse.testing.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The harness's processes: {@code java -jar} of the build's jars on small heaps, each logged under e2e-logs. */
final class JarProcess {

  private JarProcess() {}

  private static final List<String> JVM =
      List.of("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  static Workload start(String name, Path jar, Map<String, String> env, String... args)
      throws IOException {
    return start(name, jar, List.of(), env, args);
  }

  /** With more JVM options after the harness's own (an owner's {@code -XX:SharedArchiveFile=…}). */
  static Workload start(
      String name, Path jar, List<String> jvm, Map<String, String> env, String... args)
      throws IOException {
    List<String> options = new ArrayList<>(JVM);
    options.addAll(jvm);
    return Workload.of(
        ManagedProcess.java(jar)
            .named(name)
            .logTo(ProcessLogs.file(name))
            .jvm(options.toArray(String[]::new))
            .env(env)
            .start(args));
  }
}
