package dev.dormouse.node;

import dev.dormouse.crd.v1alpha1.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The roles' settings from environment variables, with errors that name the variable. */
public final class Environment {

  /** A setting missing or malformed; the message names it. */
  public static final class BadSettingException extends RuntimeException {
    BadSettingException(String message) {
      super(message);
    }
  }

  private final Map<String, String> env;

  public Environment(Map<String, String> env) {
    this.env = env;
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  public String get(String name, String fallback) {
    return get(name).orElse(fallback);
  }

  public String required(String name) {
    return get(name).orElseThrow(() -> new BadSettingException(name + " must be set"));
  }

  public int port(String name, int fallback) {
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

  public int positiveInt(String name, int fallback) {
    String value = get(name, Integer.toString(fallback));
    try {
      int number = Integer.parseInt(value);
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new BadSettingException(name + " must be a positive whole number, got '" + value + "'");
  }

  public Duration duration(String name, Duration fallback) {
    Optional<String> value = get(name);
    if (value.isEmpty()) {
      return fallback;
    }
    if (!Durations.isValid(value.get())) {
      throw new BadSettingException(name + " must be a duration such as 10s or 1m30s, got '" + value.get() + "'");
    }
    return Durations.parse(value.get());
  }

  /** A secret given either inline ({@code NAME}) or as a file ({@code NAME_FILE}, as Secrets are mounted). */
  public byte[] secret(String name) {
    Optional<String> file = get(name + "_FILE");
    if (file.isPresent()) {
      try {
        return Files.readString(Path.of(file.get())).trim().getBytes(StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(name + "_FILE: cannot read " + file.get(), e);
      }
    }
    byte[] secret = required(name).getBytes(StandardCharsets.UTF_8);
    if (secret.length < 16) {
      throw new BadSettingException(name + " must be at least 16 bytes");
    }
    return secret;
  }
}
