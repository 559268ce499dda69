package dev.dormouse.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code java -jar target/dormouse.jar ROLE}, the jar this build made, as a real process. */
public final class DormouseProcess {

  private static final Path JAR =
      Path.of(System.getProperty("dormouse.jar", "../target/dormouse.jar"));

  private DormouseProcess() {}

  public static ManagedProcess start(Path workDir, Map<String, String> env, String... args)
      throws IOException {
    return start(List.of(), workDir, env, args);
  }

  /** The same, started through {@code inside} (e.g. {@code ip netns exec NS}). */
  public static ManagedProcess start(
      List<String> inside, Path workDir, Map<String, String> env, String... args)
      throws IOException {
    return ManagedProcess.java(JAR)
        .inside(inside)
        .named(String.join(" ", args))
        .in(workDir)
        .jvm("-Xmx256m")
        .env(env)
        .start(args);
  }
}
