package dev.dormouse.store;

import java.util.List;

/**
 * A message from the publish API on its way to some of one gateway's connections: the hand-off
 * written to that gateway's stream.
 *
 * @param connectionIds the connections of that gateway it is for
 * @param text whether it goes out as a text frame (its payload UTF-8) or a binary one
 */
public record PublishedMessage(List<String> connectionIds, boolean text, byte[] payload) {

  public PublishedMessage {
    connectionIds = List.copyOf(connectionIds);
  }
}
