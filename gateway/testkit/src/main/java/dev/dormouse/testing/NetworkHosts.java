package dev.dormouse.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hosts on a virtual network of their own, for tests that cut, thin out and slow the network between
 * processes: each host a network namespace with one address in a test-only /24, all of them on a
 * bridge in a "switch" namespace, which one veth pair joins to this JVM's namespace (so the test
 * reaches every host, and its clients' traffic crosses the network too). Traffic between two hosts
 * is cut with {@code iptables -j DROP} in both hosts, so TCP sees silence, not resets; loss is {@code
 * iptables -m statistic}; delay is a {@link DelayRelay} in the host (this kernel has no netem).
 * Nothing outside the namespaces is touched but the one veth end and its address; every rule lives
 * inside a namespace. Names carry the creating JVM's pid (and a count of the networks it made), so a
 * run whose JVM was killed leaves
 * namespaces the next run recognises and deletes; {@link #close} (or the JVM's exit) deletes this
 * run's, with everything running in them. Needs root, iproute2 and iptables ({@link #unavailable}).
 */
public final class NetworkHosts implements AutoCloseable {

  private static final String PREFIX = "dmn";
  private static final Pattern OURS = Pattern.compile("^(" + PREFIX + "(\\d+)x\\d+)-\\S+");
  private static final AtomicInteger MADE = new AtomicInteger();
  private static final String SUBNET = "10.213.";
  private static final int FIRST_RELAY_PORT = 41000;
  private static final Duration RELAY_START = Duration.ofSeconds(30);

  private final String prefix;
  private final String subnet;
  private final String switchNamespace;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final Thread teardownAtExit = new Thread(this::teardown, "network-hosts-teardown");
  private final List<String> lossRules = new ArrayList<>();
  private int nextRelayPort = FIRST_RELAY_PORT;

  /** One host: its namespace and its address on the test network. */
  public record Host(String name, String namespace, String address) {

    /** The command that runs a program inside this host: {@code ip netns exec NAMESPACE}. */
    public List<String> inside() {
      return List.of("ip", "netns", "exec", namespace);
    }

    /** Runs {@code command} in this host and returns its output; fails unless it exits with 0. */
    public String run(String... command) {
      return NetworkHosts.run(Stream.concat(inside().stream(), Stream.of(command)).toList());
    }

    private void iptables(String... rule) {
      run(Stream.concat(Stream.of("iptables", "-w"), Stream.of(rule)).toArray(String[]::new));
    }
  }

  private NetworkHosts(String prefix, String subnet) {
    this.prefix = prefix;
    this.subnet = subnet;
    this.switchNamespace = prefix + "-switch";
  }

  /** Why these hosts cannot be made here, or empty when they can: for a test's assumption. */
  public static Optional<String> unavailable() {
    String uid = quietly(List.of("id", "-u")).strip();
    if (!uid.equals("0")) {
      return Optional.of("network namespaces need root (running as uid " + uid + ")");
    }
    for (List<String> probe : List.of(List.of("ip", "netns", "list"), List.of("iptables", "-V"))) {
      try {
        run(probe);
      } catch (IllegalStateException e) {
        return Optional.of(
            "`" + String.join(" ", probe) + "` does not work here: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /** Makes one host per name, after deleting what killed earlier runs left. */
  public static NetworkHosts create(String... names) {
    deleteLeftovers();
    String prefix = PREFIX + ProcessHandle.current().pid() + "x" + MADE.incrementAndGet();
    NetworkHosts network = new NetworkHosts(prefix, freeSubnet());
    Runtime.getRuntime().addShutdownHook(network.teardownAtExit);
    try {
      network.build(names);
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
    return network;
  }

  /** A /24 of 10.213.0.0/16 no interface of this namespace is on (another run's, say). */
  private static String freeSubnet() {
    String addresses = run(List.of("ip", "-o", "-4", "addr", "show"));
    long start = ProcessHandle.current().pid() % 250;
    for (int i = 0; i < 250; i++) {
      String candidate = SUBNET + (start + i) % 250 + ".";
      if (!addresses.contains(" " + candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("every /24 of " + SUBNET + "0.0/16 is taken:\n" + addresses);
  }

  private void build(String... names) {
    run(List.of("ip", "netns", "add", switchNamespace));
    ip(switchNamespace, "link", "add", "br0", "type", "bridge");
    ip(switchNamespace, "link", "set", "br0", "up");
    run(
        List.of(
            "ip",
            "link",
            "add",
            prefix,
            "type",
            "veth",
            "peer",
            "name",
            "uplink",
            "netns",
            switchNamespace));
    ip(switchNamespace, "link", "set", "uplink", "master", "br0", "up");
    run(List.of("ip", "addr", "add", subnet + "1/24", "dev", prefix));
    run(List.of("ip", "link", "set", prefix, "up"));
    for (String name : names) {
      Host host = new Host(name, prefix + "-" + name, subnet + (10 + hosts.size()));
      String port = "h" + hosts.size();
      run(List.of("ip", "netns", "add", host.namespace()));
      hosts.put(name, host);
      ip(
          switchNamespace,
          "link",
          "add",
          port,
          "type",
          "veth",
          "peer",
          "name",
          "eth0",
          "netns",
          host.namespace());
      ip(switchNamespace, "link", "set", port, "master", "br0", "up");
      ip(host.namespace(), "addr", "add", host.address() + "/24", "dev", "eth0");
      ip(host.namespace(), "link", "set", "eth0", "up");
      ip(host.namespace(), "link", "set", "lo", "up");
    }
  }

  public Host host(String name) {
    Host host = hosts.get(name);
    if (host == null) {
      throw new IllegalArgumentException("no host " + name + " among " + hosts.keySet());
    }
    return host;
  }

  /** From now on nothing passes between {@code a} and {@code b}, either way, on any connection. */
  public void cut(Host a, Host b) {
    a.iptables("-A", "INPUT", "-s", b.address(), "-j", "DROP");
    b.iptables("-A", "INPUT", "-s", a.address(), "-j", "DROP");
  }

  /** Undoes {@link #cut}: what TCP held back is retransmitted, and passes. */
  public void heal(Host a, Host b) {
    a.iptables("-D", "INPUT", "-s", b.address(), "-j", "DROP");
    b.iptables("-D", "INPUT", "-s", a.address(), "-j", "DROP");
  }

  /**
   * Every host drops {@code probability} of the packets it receives from the network, so every link
   * between hosts loses that share each way (the test's own namespace is not touched, so a client's
   * link loses it on the way to its host only); {@link #stopLoss} ends it.
   */
  public void lose(double probability) {
    String[] rule = {
      "INPUT",
      "-i",
      "eth0",
      "-m",
      "statistic",
      "--mode",
      "random",
      "--probability",
      Double.toString(probability),
      "-j",
      "DROP"
    };
    for (Host host : hosts.values()) {
      host.iptables(Stream.concat(Stream.of("-A"), Stream.of(rule)).toArray(String[]::new));
    }
    lossRules.add(String.join(" ", rule));
  }

  public void stopLoss() {
    for (String rule : lossRules) {
      for (Host host : hosts.values()) {
        host.iptables(
            Stream.concat(Stream.of("-D"), Stream.of(rule.split(" "))).toArray(String[]::new));
      }
    }
    lossRules.clear();
  }

  /**
   * Connections to {@code port} of {@code host} opened from now on go through a relay in the host
   * that holds everything {@code delay} each way, as netem's delay on every host's interface would
   * (a round trip takes twice it longer). Connections already open keep going direct, so a test slows
   * the network before its processes connect. The relay runs until the hosts are closed.
   */
  public void delay(Host host, int port, Duration delay) throws IOException, InterruptedException {
    int relayPort = nextRelayPort++;
    Path classes =
        Path.of(DelayRelay.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    ManagedProcess relay =
        ManagedProcess.program(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx32m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    classes.toString(),
                    DelayRelay.class.getName()))
            .named("delay relay " + host.name() + ":" + port)
            .inside(host.inside())
            .start(
                Integer.toString(relayPort),
                Integer.toString(port),
                Long.toString(delay.toMillis()));
    relay.awaitLine(Pattern.compile("^relaying$"), RELAY_START);
    host.iptables(
        "-t",
        "nat",
        "-A",
        "PREROUTING",
        "-i",
        "eth0",
        "-p",
        "tcp",
        "--dport",
        Integer.toString(port),
        "-j",
        "REDIRECT",
        "--to-ports",
        Integer.toString(relayPort));
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(teardownAtExit);
    } catch (IllegalStateException exiting) {
      // the hook is running or will
    }
    teardown();
  }

  private synchronized void teardown() {
    List<String> namespaces = new ArrayList<>();
    hosts.values().forEach(host -> namespaces.add(host.namespace()));
    namespaces.add(switchNamespace);
    delete(prefix, namespaces);
    hosts.clear();
  }

  /** The namespaces of earlier runs whose JVM is gone, with whatever still runs in them. */
  private static void deleteLeftovers() {
    Map<String, List<String>> byRun = new LinkedHashMap<>();
    for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
      Matcher ours = OURS.matcher(line.trim());
      if (ours.find()
          && ProcessHandle.of(Long.parseLong(ours.group(2)))
              .filter(ProcessHandle::isAlive)
              .isEmpty()) {
        byRun.computeIfAbsent(ours.group(1), k -> new ArrayList<>()).add(line.trim().split(" ")[0]);
      }
    }
    byRun.forEach(NetworkHosts::delete);
  }

  /** Kills what runs in {@code namespaces}, then deletes them and the veth {@code rootLink}. */
  private static void delete(String rootLink, List<String> namespaces) {
    for (String namespace : namespaces) {
      for (String pid : quietly(List.of("ip", "netns", "pids", namespace)).split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    quietly(List.of("ip", "link", "del", rootLink));
    namespaces.forEach(namespace -> quietly(List.of("ip", "netns", "del", namespace)));
  }

  private static void ip(String namespace, String... args) {
    run(Stream.concat(Stream.of("ip", "-n", namespace), Stream.of(args)).toList());
  }

  /** Runs {@code command} and returns its output; fails with the output unless it exits with 0. */
  static String run(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = process.waitFor();
      if (status != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " exited with " + status + ": " + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", command) + " could not run: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", command) + " interrupted", e);
    }
  }

  private static String quietly(List<String> command) {
    try {
      return run(command);
    } catch (IllegalStateException e) {
      return "";
    }
  }
}
