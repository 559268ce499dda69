package dev.dormouse.node;

/** A setting of a cluster role missing or malformed; the message names the variable. */
public final class BadSettingException extends RuntimeException {

  BadSettingException(String message) {
    super(message);
  }
}
