package dev.dormouse.testing;

import dev.dormouse.room.Room;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Builds a room author's jar the way they would: compiled against the room API, nothing else. */
public final class CustomRoomJar {

  private CustomRoomJar() {}

  /**
   * Compiles {@code source} against the room API and the artifacts of {@code alsoCompiledAgainst} (to
   * build a room that uses what it should not), and packs it into {@code jar}.
   */
  public static void write(
      Path jar, String className, String source, Class<?>... alsoCompiledAgainst)
      throws IOException {
    Path work = Files.createTempDirectory(jar.getParent(), "src");
    Path file = work.resolve(className.replace('.', '/') + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classPath =
        Stream.concat(Stream.of(Room.class), Arrays.stream(alsoCompiledAgainst))
            .map(type -> codeSource(type).toString())
            .collect(Collectors.joining(File.pathSeparator));
    int status =
        javac.run(null, null, null, "-cp", classPath, "-d", work.toString(), file.toString());
    if (status != 0) {
      throw new IllegalStateException("javac failed for " + className);
    }
    pack(work, jar);
  }

  /**
   * A jar holding the classes of {@code type}'s own artifact (this test kit's rooms, say), as an owner
   * loads them from its lib folder. The artifact is a jar in a packaged build, a classes folder otherwise.
   */
  public static void copyArtifactOf(Class<?> type, Path jar) throws IOException {
    Path source = codeSource(type);
    if (Files.isDirectory(source)) {
      pack(source, jar);
    } else {
      Files.copy(source, jar, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void pack(Path classesDir, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out);
        Stream<Path> classes = Files.walk(classesDir)) {
      for (Path c : classes.filter(p -> p.toString().endsWith(".class")).toList()) {
        jarOut.putNextEntry(new JarEntry(classesDir.relativize(c).toString().replace('\\', '/')));
        jarOut.write(Files.readAllBytes(c));
        jarOut.closeEntry();
      }
    }
  }
}
