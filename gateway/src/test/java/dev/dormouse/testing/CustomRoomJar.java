package dev.dormouse.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds a room author's jar the way they would: compiled against the room API, nothing else. */
public final class CustomRoomJar {

  private CustomRoomJar() {
  }

  public static void write(Path jar, String className, String source) throws IOException {
    Path work = Files.createTempDirectory(jar.getParent(), "src");
    Path file = work.resolve(className.replace('.', '/') + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-cp", Path.of("target/classes").toAbsolutePath().toString(),
        "-d", work.toString(), file.toString());
    if (status != 0) {
      throw new IllegalStateException("javac failed for " + className);
    }
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
        Stream<Path> classes = Files.walk(work)) {
      for (Path c : classes.filter(p -> p.toString().endsWith(".class")).toList()) {
        jarOut.putNextEntry(new JarEntry(work.relativize(c).toString().replace('\\', '/')));
        jarOut.write(Files.readAllBytes(c));
        jarOut.closeEntry();
      }
    }
  }

}
