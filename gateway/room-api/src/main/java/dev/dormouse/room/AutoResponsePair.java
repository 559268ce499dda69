package dev.dormouse.room;

import java.util.Objects;

/** A text request the gateways answer with {@code response} without waking the room. */
public record AutoResponsePair(String request, String response) {

  public AutoResponsePair {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(response, "response");
    if (request.isEmpty()) {
      throw new IllegalArgumentException("auto-response request must not be empty");
    }
  }
}
