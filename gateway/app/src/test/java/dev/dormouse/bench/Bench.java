package dev.dormouse.bench;

import java.time.Duration;
import java.time.Instant;

/**
 * The benchmark harness of SPEC §8: heap per hibernated connection, echo round trip, broadcast
 * deliveries/s and revival latency, with the product in this JVM and the load client in another.
 * Lives in test sources so it is not part of the product jar; see docs/benchmarks.md for the
 * command. Every scenario is bounded and stops its server and client itself.
 */
public final class Bench {

  private Bench() {}

  public static void main(String[] args) throws Exception {
    BenchOptions options = BenchOptions.parse(args);
    Report report = new Report();
    Instant start = Instant.now();
    report.line("## Run of " + start + ": " + String.join(", ", options.scenarios()));
    report.line("");
    MachineInfo.describe().forEach(line -> report.line("- " + line));
    report.line("");
    EchoScenario echo = new EchoScenario(options, report);
    boolean echoHeader = false;
    for (String scenario : options.scenarios()) {
      switch (scenario) {
        case "heap" -> new HeapScenario(options, report).run();
        case "echo", "seed" -> {
          if (!echoHeader) {
            echo.header();
            echoHeader = true;
          }
          if (scenario.equals("echo")) {
            echo.runDormouse();
          } else {
            echo.runSeedComparison();
          }
        }
        case "broadcast" -> {
          report.line("");
          new BroadcastScenario(options, report).run();
        }
        case "revival" -> new RevivalScenario(options, report).run();
        case "js" -> new JsSeedScenario(options, report).run();
        case "socketio" -> new SocketIoScenario(options, report).run();
        case "ceiling" -> new CeilingScenario(options, report).run();
        case "storm" -> new StormScenario(options, report).run();
        case "accept" -> new AcceptScenario(options, report).run();
        case "memory" -> new MemoryScenario(options, report).run();
        case "containers" -> new ContainerScenario(options, report).run();
        default ->
            throw new IllegalArgumentException(
                "unknown scenario " + scenario + "\n" + BenchOptions.USAGE);
      }
    }
    report.line("Whole run: " + Duration.between(start, Instant.now()).toSeconds() + " s.");
    report.write(options.out());
    System.out.println("written to " + options.out().toAbsolutePath());
    // Undertow's and Lettuce's threads may linger after close: the run is over, so end the JVM.
    System.exit(0);
  }
}
