package dev.dormouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the numbers were measured on, read from /proc and the JVM. */
final class MachineInfo {

  private MachineInfo() {}

  static List<String> describe() {
    return List.of(
        "CPU: "
            + firstValue("/proc/cpuinfo", "model name")
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " cores visible to the JVM",
        "Memory: " + firstValue("/proc/meminfo", "MemTotal"),
        "OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version"),
        "Java: "
            + System.getProperty("java.vm.name")
            + " "
            + System.getProperty("java.runtime.version")
            + ", server JVM max heap "
            + Runtime.getRuntime().maxMemory() / (1 << 20)
            + " MiB",
        "Open files (ulimit -n): " + openFileLimit(),
        "Load average at start (1, 5, 15 min; the 2 cores are shared with other work): "
            + loadAverage());
  }

  private static String firstValue(String file, String key) {
    try {
      return Files.readAllLines(Path.of(file)).stream()
          .filter(line -> line.startsWith(key))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The soft and hard limits of this process, as /proc/self/limits shows them. */
  static String openFileLimit() {
    try {
      return Files.readAllLines(Path.of("/proc/self/limits")).stream()
          .filter(l -> l.startsWith("Max open files"))
          .map(l -> l.substring("Max open files".length()).trim().split("\\s+"))
          .map(f -> f[0] + " soft, " + f[1] + " hard")
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
