package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class Limits {

  public static final int DEFAULT_MAX_CONNECTIONS = 32768;
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
  public static final int DEFAULT_MAX_ATTACHMENT_BYTES = 16 << 10;
  public static final int DEFAULT_MAX_TAGS_PER_CONNECTION = 10;
  public static final int DEFAULT_MAX_TAG_BYTES = 256;
  public static final String DEFAULT_EVENT_TIMEOUT = "30s";
  public static final int DEFAULT_WAKE_BUFFER_MESSAGES = 1000;

  /** As Durable Objects' key–value storage. */
  public static final int DEFAULT_MAX_STORAGE_VALUE_BYTES = 128 << 10;

  /** Far above a person typing or a game sending 30 updates a second; far below a flood. */
  public static final int DEFAULT_MESSAGES_PER_SECOND = 100;

  /** Room for a client flushing what it queued while offline. */
  public static final int DEFAULT_MESSAGES_BURST = 500;

  public static final int DEFAULT_BYTES_PER_SECOND = 1 << 20;

  /** Four messages of the default largest size at once. */
  public static final int DEFAULT_BYTES_BURST = 4 << 20;

  static final int MAX_CONNECTIONS_LIMIT = 1_000_000;
  static final int MAX_MESSAGE_BYTES_LIMIT = 64 << 20;
  static final int MAX_ATTACHMENT_BYTES_LIMIT = 1 << 20;
  static final int MAX_TAGS_LIMIT = 100;
  static final int MAX_TAG_BYTES_LIMIT = 4096;
  static final int WAKE_BUFFER_LIMIT = 100_000;
  static final int MESSAGES_RATE_LIMIT = 1_000_000;
  static final int BYTES_RATE_LIMIT = 1 << 30;

  /**
   * A value is written in one Redis script, which holds the whole Redis server meanwhile, and read
   * whole into the owner's heap: past a few MiB a value belongs in an object store.
   */
  static final int MAX_STORAGE_VALUE_BYTES_LIMIT = 8 << 20;

  @JsonPropertyDescription(
      "Open connections per instance; further upgrades get 503 with Retry-After.")
  @Default("" + DEFAULT_MAX_CONNECTIONS)
  @Min(1)
  @Max(MAX_CONNECTIONS_LIMIT)
  private Integer maxConnections = DEFAULT_MAX_CONNECTIONS;

  @JsonPropertyDescription(
      "Largest client message in bytes; a bigger one closes the socket with 1009.")
  @Default("" + DEFAULT_MAX_MESSAGE_BYTES)
  @Min(1)
  @Max(MAX_MESSAGE_BYTES_LIMIT)
  private Integer maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

  @JsonPropertyDescription("Largest serialized attachment per connection in bytes.")
  @Default("" + DEFAULT_MAX_ATTACHMENT_BYTES)
  @Min(0)
  @Max(MAX_ATTACHMENT_BYTES_LIMIT)
  private Integer maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES;

  @JsonPropertyDescription("Most tags one connection may carry.")
  @Default("" + DEFAULT_MAX_TAGS_PER_CONNECTION)
  @Min(0)
  @Max(MAX_TAGS_LIMIT)
  private Integer maxTagsPerConnection = DEFAULT_MAX_TAGS_PER_CONNECTION;

  @JsonPropertyDescription("Longest tag in UTF-8 bytes.")
  @Default("" + DEFAULT_MAX_TAG_BYTES)
  @Min(1)
  @Max(MAX_TAG_BYTES_LIMIT)
  private Integer maxTagBytes = DEFAULT_MAX_TAG_BYTES;

  @JsonPropertyDescription("Longest time one event handler may run; past it the instance is reset.")
  @Default(DEFAULT_EVENT_TIMEOUT)
  @Pattern(Durations.PATTERN)
  private String eventTimeout = DEFAULT_EVENT_TIMEOUT;

  @JsonPropertyDescription(
      "Events buffered per instance while its owner wakes; past it clients get 1013.")
  @Default("" + DEFAULT_WAKE_BUFFER_MESSAGES)
  @Min(0)
  @Max(WAKE_BUFFER_LIMIT)
  private Integer wakeBufferMessages = DEFAULT_WAKE_BUFFER_MESSAGES;

  @JsonPropertyDescription(
      "Messages (and pings) one connection may send per second, on average; past it the "
          + "socket is closed with 1008.")
  @Default("" + DEFAULT_MESSAGES_PER_SECOND)
  @Min(1)
  @Max(MESSAGES_RATE_LIMIT)
  private Integer messagesPerSecond = DEFAULT_MESSAGES_PER_SECOND;

  @JsonPropertyDescription("Messages one connection may send at once above messagesPerSecond.")
  @Default("" + DEFAULT_MESSAGES_BURST)
  @Min(1)
  @Max(MESSAGES_RATE_LIMIT)
  private Integer messagesBurst = DEFAULT_MESSAGES_BURST;

  @JsonPropertyDescription(
      "Message bytes one connection may send per second, on average; past it the socket is "
          + "closed with 1008.")
  @Default("" + DEFAULT_BYTES_PER_SECOND)
  @Min(1)
  @Max(BYTES_RATE_LIMIT)
  private Integer bytesPerSecond = DEFAULT_BYTES_PER_SECOND;

  @JsonPropertyDescription(
      "Message bytes one connection may send at once; at least maxMessageBytes.")
  @Default("" + DEFAULT_BYTES_BURST)
  @Min(1)
  @Max(BYTES_RATE_LIMIT)
  private Integer bytesBurst = DEFAULT_BYTES_BURST;

  @JsonPropertyDescription(
      "Largest value in the room's storage in bytes; a bigger put is refused and nothing written.")
  @Default("" + DEFAULT_MAX_STORAGE_VALUE_BYTES)
  @Min(1)
  @Max(MAX_STORAGE_VALUE_BYTES_LIMIT)
  private Integer maxStorageValueBytes = DEFAULT_MAX_STORAGE_VALUE_BYTES;

  public Integer getMaxConnections() {
    return maxConnections;
  }

  public void setMaxConnections(Integer maxConnections) {
    this.maxConnections = maxConnections;
  }

  public Integer getMaxMessageBytes() {
    return maxMessageBytes;
  }

  public void setMaxMessageBytes(Integer maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  public Integer getMaxAttachmentBytes() {
    return maxAttachmentBytes;
  }

  public void setMaxAttachmentBytes(Integer maxAttachmentBytes) {
    this.maxAttachmentBytes = maxAttachmentBytes;
  }

  public Integer getMaxTagsPerConnection() {
    return maxTagsPerConnection;
  }

  public void setMaxTagsPerConnection(Integer maxTagsPerConnection) {
    this.maxTagsPerConnection = maxTagsPerConnection;
  }

  public Integer getMaxTagBytes() {
    return maxTagBytes;
  }

  public void setMaxTagBytes(Integer maxTagBytes) {
    this.maxTagBytes = maxTagBytes;
  }

  public String getEventTimeout() {
    return eventTimeout;
  }

  public void setEventTimeout(String eventTimeout) {
    this.eventTimeout = eventTimeout;
  }

  public Integer getWakeBufferMessages() {
    return wakeBufferMessages;
  }

  public void setWakeBufferMessages(Integer wakeBufferMessages) {
    this.wakeBufferMessages = wakeBufferMessages;
  }

  public Integer getMessagesPerSecond() {
    return messagesPerSecond;
  }

  public void setMessagesPerSecond(Integer messagesPerSecond) {
    this.messagesPerSecond = messagesPerSecond;
  }

  public Integer getMessagesBurst() {
    return messagesBurst;
  }

  public void setMessagesBurst(Integer messagesBurst) {
    this.messagesBurst = messagesBurst;
  }

  public Integer getBytesPerSecond() {
    return bytesPerSecond;
  }

  public void setBytesPerSecond(Integer bytesPerSecond) {
    this.bytesPerSecond = bytesPerSecond;
  }

  public Integer getBytesBurst() {
    return bytesBurst;
  }

  public void setBytesBurst(Integer bytesBurst) {
    this.bytesBurst = bytesBurst;
  }

  public Integer getMaxStorageValueBytes() {
    return maxStorageValueBytes;
  }

  public void setMaxStorageValueBytes(Integer maxStorageValueBytes) {
    this.maxStorageValueBytes = maxStorageValueBytes;
  }
}
