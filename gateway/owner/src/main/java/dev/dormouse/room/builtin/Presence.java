package dev.dormouse.room.builtin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The joins (or leaves) of a large chat room since its last notice, told as one {@code
 * {"type":TYPE,"count":K,"names":[…],"members":N}}: the count and the first few names, so that a
 * notice stays small however many came.
 */
final class Presence {

  /** How many names one notice lists; {@code count} tells how many there were. */
  static final int NAMES_PER_NOTICE = 10;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String type;
  private final List<String> names = new ArrayList<>();
  private int count;

  Presence(String type) {
    this.type = type;
  }

  void add(String name) {
    if (names.size() < NAMES_PER_NOTICE) {
      names.add(name);
    }
    count++;
  }

  /** The notice of what came since the last one, if anything did, in a room of {@code members}. */
  Optional<String> drain(int members) {
    if (count == 0) {
      return Optional.empty();
    }
    ObjectNode notice = JSON.createObjectNode().put("type", type).put("count", count);
    names.forEach(notice.putArray("names")::add);
    notice.put("members", members);
    names.clear();
    count = 0;
    return Optional.of(notice.toString());
  }
}
