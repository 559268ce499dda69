package dev.dormouse.store;

import java.util.List;

/**
 * What {@link InstanceHistory} holds of one instance.
 *
 * @param wakes how many times it was activated (while its history lasted: it expires unused)
 * @param recent its last transitions, oldest first
 */
public record HistoryView(long wakes, List<InstanceTransition> recent) {

  public HistoryView {
    recent = List.copyOf(recent);
  }
}
