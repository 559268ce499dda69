package dev.dormouse.e2e.cluster;

import dev.dormouse.testing.ManagedProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The harness's processes: {@code java -jar} of the build's jars on small heaps, each logged under e2e-logs. */
final class JarProcess {

  private JarProcess() {}

  static ManagedProcess start(String name, Path jar, Map<String, String> env, String... args)
      throws IOException {
    return ManagedProcess.java(jar)
        .named(name)
        .logTo(ProcessLogs.file(name))
        .jvm("-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
        .env(env)
        .start(args);
  }
}
