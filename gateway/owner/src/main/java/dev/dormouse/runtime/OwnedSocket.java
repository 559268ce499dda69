package dev.dormouse.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.room.AttachmentTooLargeException;
import dev.dormouse.room.RoomSocket;
import dev.dormouse.store.ConnectionRecord;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** A connection as the room sees it during one activation; writes go through to Redis. */
final class OwnedSocket implements RoomSocket {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final ActiveInstance instance;
  private ConnectionRecord record;
  private boolean registered;

  /** Messages may still be sent: the client has not closed and nobody sent a close frame. */
  private boolean open = true;

  private boolean closeSent;

  OwnedSocket(String id, ConnectionRecord record, ActiveInstance instance, boolean registered) {
    this.id = id;
    this.record = record;
    this.instance = instance;
    this.registered = registered;
  }

  @Override
  public String id() {
    return id;
  }

  String gatewayId() {
    return record.gatewayId();
  }

  boolean isOpen() {
    return open;
  }

  /** The client sent its close frame: the room may still answer it with {@link #close}. */
  void markPeerClosing() {
    open = false;
  }

  void markClosed() {
    open = false;
    closeSent = true;
  }

  /** Sending to a closed socket is a no-op: rooms often hold sockets a little longer than they live. */
  @Override
  public void send(String text) {
    if (open) {
      instance.deliver(record.gatewayId(), List.of(id), OutboundMessage.text(text));
    }
  }

  @Override
  public void send(byte[] bytes) {
    if (open) {
      instance.deliver(record.gatewayId(), List.of(id), OutboundMessage.binary(bytes.clone()));
    }
  }

  @Override
  public void close(int code, String reason) {
    if (!closeSent) {
      markClosed();
      instance.closeConnection(record.gatewayId(), id, code, reason == null ? "" : reason);
    }
  }

  @Override
  public void serializeAttachment(Object value) {
    instance.checkLive();
    String json;
    try {
      json = value == null ? null : JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "attachment cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
    if (json != null) {
      int size = json.getBytes(StandardCharsets.UTF_8).length;
      int limit = instance.settings().maxAttachmentBytes();
      if (size > limit) {
        throw new AttachmentTooLargeException(size, limit);
      }
    }
    update(record.withAttachment(json));
  }

  @Override
  public <T> T deserializeAttachment(Class<T> type) {
    if (record.attachment() == null) {
      return null;
    }
    try {
      return JSON.readValue(record.attachment(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "attachment is not a " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public Set<String> tags() {
    return new LinkedHashSet<>(record.tags());
  }

  @Override
  public void setTags(Collection<String> tags) {
    instance.checkLive();
    update(record.withTags(checkedTags(tags)));
  }

  /** Writes the accepted connection's record in the background; the stage completes once it landed. */
  CompletionStage<Void> acceptWithTags(List<String> tags) {
    record = record.withTags(checkedTags(tags));
    registered = true;
    ConnectionRecord accepted = record;
    return ActiveInstance.inBackground(
        () -> instance.stores().registry().putInBackground(instance.lease(), id, accepted));
  }

  private List<String> checkedTags(Collection<String> tags) {
    List<String> distinct = List.copyOf(new LinkedHashSet<>(tags));
    int maxTags = instance.settings().maxTagsPerConnection();
    if (distinct.size() > maxTags) {
      throw new IllegalArgumentException(
          distinct.size() + " tags exceed spec.limits.maxTagsPerConnection (" + maxTags + ")");
    }
    int maxBytes = instance.settings().maxTagBytes();
    for (String tag : distinct) {
      if (tag == null || tag.isEmpty()) {
        throw new IllegalArgumentException("a tag must not be empty");
      }
      if (tag.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
        throw new IllegalArgumentException(
            "tag '" + tag + "' exceeds spec.limits.maxTagBytes (" + maxBytes + ")");
      }
    }
    return distinct;
  }

  /**
   * Writes at once, its failure the room's to see. The registration may still be in flight: the
   * store sends both over one connection in call order, so this newer record lands after it.
   */
  private void update(ConnectionRecord changed) {
    if (registered) {
      instance.stores().registry().put(instance.lease(), id, changed);
    }
    record = changed;
  }
}
