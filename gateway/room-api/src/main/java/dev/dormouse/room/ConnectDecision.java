package dev.dormouse.room;

import java.util.List;

/** What {@link Room#onConnect} decides: accept with tags, or refuse with an HTTP status and body. */
public final class ConnectDecision {

  private final boolean accepted;
  private final List<String> tags;
  private final int status;
  private final String body;

  private ConnectDecision(boolean accepted, List<String> tags, int status, String body) {
    this.accepted = accepted;
    this.tags = tags;
    this.status = status;
    this.body = body;
  }

  public static ConnectDecision accept(String... tags) {
    return new ConnectDecision(true, List.of(tags), 101, "");
  }

  public static ConnectDecision accept(List<String> tags) {
    return new ConnectDecision(true, List.copyOf(tags), 101, "");
  }

  /** Refuses the upgrade; {@code status} must be a 4xx or 5xx code. */
  public static ConnectDecision reject(int status, String body) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("reject needs a 4xx or 5xx status, got " + status);
    }
    return new ConnectDecision(false, List.of(), status, body == null ? "" : body);
  }

  public boolean accepted() {
    return accepted;
  }

  public List<String> tags() {
    return tags;
  }

  public int status() {
    return status;
  }

  public String body() {
    return body;
  }
}
