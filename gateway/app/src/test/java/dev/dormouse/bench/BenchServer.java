package dev.dormouse.bench;

import com.sun.management.ThreadMXBean;
import dev.dormouse.gateway.EdgeSettings;
import dev.dormouse.local.LocalRun;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The product under test: a local run (gateway and room runtime in this JVM, Redis embedded as its
 * own process) on a free loopback port, serving the benchmark's rooms. Also the probes that can
 * only be taken inside the server JVM: heap after GC, allocated bytes, eviction.
 */
final class BenchServer implements AutoCloseable {

  private static final String ROOMS =
      """
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: echo
      spec:
        handler: echo
        hibernation:
          idleTimeout: 30s
        %1$s
      ---
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: example
      spec:
        handler: example
        hibernation:
          idleTimeout: 30s
        %1$s
      ---
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: seed
      spec:
        handler: js:seed/worker.js#WebSocketHibernationServer
        hibernation:
          idleTimeout: 30s
        %1$s
      ---
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: example-idle
      spec:
        handler: example
        hibernation:
          idleTimeout: 500ms
      ---
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: seed-idle
      spec:
        handler: js:seed/worker.js#WebSocketHibernationServer
        hibernation:
          idleTimeout: 500ms
      ---
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: idle
      spec:
        handler: echo
        instances: true
        hibernation:
          idleTimeout: 1s
      ---
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: fanout
      spec:
        handler: dev.dormouse.bench.BroadcastRoom
        instances: true
        %1$s
        hibernation:
          idleTimeout: 30s
      ---
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: revive
      spec:
        handler: echo
        instances: true
        hibernation:
          idleTimeout: 500ms
      ---
      apiVersion: dormouse.dev/v1alpha1
      kind: WebSocketRoom
      metadata:
        name: chat
      spec:
        handler: chat
        instances: true
        %1$s
        hibernation:
          idleTimeout: 30s
      """
          .formatted(
              // A benchmark client is a flood by design: no per-connection rate limit.
              "limits: {messagesPerSecond: 1000000, messagesBurst: 1000000,"
                  + " bytesPerSecond: 1073741824, bytesBurst: 1073741824}");

  static final Path SEED_MODULE = Path.of("../../examples/rooms/seed/worker.js");

  private final Path dir;
  private final LocalRun run;

  private BenchServer(Path dir, LocalRun run) {
    this.dir = dir;
    this.run = run;
  }

  static BenchServer start() throws IOException {
    Path dir = Files.createTempDirectory("dormouse-bench");
    Path rooms = Files.createDirectories(dir.resolve("rooms"));
    String[] documents = ROOMS.split("---\n");
    for (int i = 0; i < documents.length; i++) {
      Files.writeString(rooms.resolve("room" + i + ".yaml"), documents[i]);
    }
    Files.createDirectories(dir.resolve("secrets"));
    // The seed's own JavaScript, as examples/rooms ships it (the harness runs in gateway/app).
    Path seed = Files.createDirectories(dir.resolve("lib").resolve("seed"));
    Files.copy(SEED_MODULE, seed.resolve("worker.js"));
    // 16 MiB of queued output per socket, as the dev default: a broadcast burst must not trip it.
    LocalRun run =
        LocalRun.start(
            new LocalRun.Config(
                Optional.of(rooms),
                dir.resolve("lib"),
                "127.0.0.1",
                0,
                0,
                Optional.<String>empty(),
                dir.resolve("secrets"),
                "echo",
                Duration.ofSeconds(30),
                16L << 20,
                4,
                EdgeSettings.defaults(),
                Optional.empty()));
    return new BenchServer(dir, run);
  }

  String ws(String path) {
    return "ws://127.0.0.1:" + run.gatewayAddress().getPort() + path;
  }

  double evictions() {
    return run.metrics().evictions();
  }

  double revivals() {
    return run.metrics().revivals();
  }

  int activeInstances() {
    return run.runtime().activeInstances();
  }

  /** Waits until an instance was evicted after {@code evictionsBefore} and none is in memory. */
  void awaitHibernation(double evictionsBefore, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!(evictions() > evictionsBefore && activeInstances() == 0)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "no hibernation within " + timeout + " (active " + activeInstances() + ")");
      }
      TimeUnit.MILLISECONDS.sleep(10); // polling a metric: the runtime offers no eviction callback
    }
  }

  /**
   * Waits until the gateway holds no client connection: closing the server while thousands of
   * closes are still being handled makes each of them fail against the closed store, slowly.
   */
  void awaitNoConnections(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (run.connections().size() > 0 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20); // polling a count: the gateway offers no callback for it
    }
  }

  /**
   * Used heap after full collections, the smallest of a few: a collection right after a burst can
   * leave garbage that the next one takes.
   */
  static long usedHeapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(200); // lets reference processing and cleaners run between rounds
      least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /** Bytes held by direct buffers (Undertow's and XNIO's pools): off-heap, so reported apart. */
  static long directBufferBytes() {
    return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
        .filter(pool -> pool.getName().equals("direct"))
        .mapToLong(BufferPoolMXBean::getMemoryUsed)
        .sum();
  }

  /** CPU time of this JVM (the gateway and runtime; Redis runs as its own process). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Bytes allocated so far by all live threads of this JVM. */
  static long allocatedBytes() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long total = 0;
    for (long id : threads.getAllThreadIds()) {
      long bytes = threads.getThreadAllocatedBytes(id);
      total += Math.max(0, bytes);
    }
    return total;
  }

  @Override
  public void close() throws IOException {
    run.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
