package dev.dormouse.node;

import dev.dormouse.crd.v1alpha1.Durations;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Reads environment variables for the roles' settings; every error names the variable. Blank counts as unset. */
final class Environment {

  /** Shortest secret taken (link secret, publish token): a shorter one is guessable. */
  static final int MIN_SECRET_BYTES = 16;

  private final Map<String, String> env;

  Environment(Map<String, String> env) {
    this.env = env;
  }

  Optional<String> get(String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  String get(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  String required(String name) {
    return get(name).orElseThrow(() -> new BadSettingException(name + " must be set"));
  }

  int port(String name, int fallback) {
    String value = get(name, Integer.toString(fallback));
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadSettingException(name + " must be a port number, got '" + value + "'");
  }

  int positiveInt(String name, int fallback) {
    return wholeNumber(name, fallback, 1, "a positive whole number");
  }

  int nonNegativeInt(String name, int fallback) {
    return wholeNumber(name, fallback, 0, "a whole number, 0 or more");
  }

  private int wholeNumber(String name, int fallback, int min, String what) {
    String value = get(name, Integer.toString(fallback));
    try {
      int number = Integer.parseInt(value);
      if (number >= min) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadSettingException(name + " must be " + what + ", got '" + value + "'");
  }

  Duration duration(String name, Duration fallback) {
    Optional<String> value = get(name);
    if (value.isEmpty()) {
      return fallback;
    }
    if (!Durations.isValid(value.get())) {
      throw new BadSettingException(
          name + " must be a duration such as 10s or 1m30s, got '" + value.get() + "'");
    }
    return Durations.parse(value.get());
  }

  /** A secret given either inline ({@code NAME}) or as a file ({@code NAME_FILE}, as Secrets are mounted). */
  byte[] secret(String name) {
    return optionalSecret(name)
        .orElseThrow(() -> new BadSettingException(name + " or " + name + "_FILE must be set"));
  }

  /** {@link #secret}, or empty when neither variable is set. */
  Optional<byte[]> optionalSecret(String name) {
    String fileName = name + "_FILE";
    Optional<String> file = get(fileName);
    byte[] secret;
    if (file.isPresent()) {
      try {
        secret = Files.readString(Path.of(file.get())).trim().getBytes(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new BadSettingException(fileName + ": cannot read " + file.get() + " (" + e + ")");
      }
    } else {
      Optional<String> inline = get(name);
      if (inline.isEmpty()) {
        return Optional.empty();
      }
      secret = inline.get().getBytes(StandardCharsets.UTF_8);
    }
    if (secret.length < MIN_SECRET_BYTES) {
      throw new BadSettingException(
          (file.isPresent() ? fileName : name)
              + " must hold at least "
              + MIN_SECRET_BYTES
              + " bytes");
    }
    return Optional.of(secret);
  }

  /** This machine's name: {@code HOSTNAME} (a pod's name), else what the system resolves. */
  String hostName() {
    return get("HOSTNAME")
        .orElseGet(
            () -> {
              try {
                return InetAddress.getLocalHost().getHostName();
              } catch (UnknownHostException e) {
                return "dormouse";
              }
            });
  }
}
