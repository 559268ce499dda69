package dev.dormouse.js;

import dev.dormouse.room.Storage;
import dev.dormouse.room.StorageValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * {@code storage.list(options)} of a Durable Object over {@link Storage#list}, which knows a prefix,
 * a key to begin after and a page size: {@code start}, {@code end} and {@code reverse} are applied
 * while paging through the prefix's keys, in the storage's order (UTF-8 bytes, i.e. code points).
 *
 * @param prefix keys beginning with it, or null
 * @param start the first key (inclusive), or null
 * @param startAfter the key to begin after, or null
 * @param end the key to stop before (exclusive), or null
 * @param reverse in descending order
 * @param limit most entries, or -1 for all
 */
record StorageListing(
    String prefix, String start, String startAfter, String end, boolean reverse, int limit) {

  List<Map.Entry<String, StorageValue>> read(Storage storage) {
    List<Map.Entry<String, StorageValue>> found = new ArrayList<>();
    String after = startAfter;
    while (true) {
      Map<String, StorageValue> page =
          storage.list(prefix == null ? "" : prefix, after, Storage.MAX_LIST_LIMIT);
      for (Map.Entry<String, StorageValue> entry : page.entrySet()) {
        String key = entry.getKey();
        if (end != null && compare(key, end) >= 0) {
          return ordered(found);
        }
        if (start == null || compare(key, start) >= 0) {
          found.add(Map.entry(key, entry.getValue()));
          if (!reverse && found.size() == limit) {
            return found;
          }
        }
        after = key;
      }
      if (page.size() < Storage.MAX_LIST_LIMIT) {
        return ordered(found);
      }
    }
  }

  private List<Map.Entry<String, StorageValue>> ordered(
      List<Map.Entry<String, StorageValue>> found) {
    if (!reverse) {
      return found;
    }
    Collections.reverse(found);
    return limit < 0 || found.size() <= limit ? found : found.subList(0, limit);
  }

  /** Code point order: that of the keys' UTF-8 bytes, which {@link String#compareTo} is not. */
  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
