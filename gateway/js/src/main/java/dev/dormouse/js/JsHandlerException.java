package dev.dormouse.js;

/**
 * A room's JavaScript failed: a handler threw or its promise rejected, or its event could not end.
 * The message is the JavaScript error with its stack ({@code file:line:col}), which the owner logs
 * and counts as for a Java room.
 */
final class JsHandlerException extends RuntimeException {

  JsHandlerException(String message) {
    super(message);
  }

  JsHandlerException(String message, Throwable cause) {
    super(message, cause);
  }
}
