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

  static final int MAX_CONNECTIONS_LIMIT = 1_000_000;
  static final int MAX_MESSAGE_BYTES_LIMIT = 64 << 20;
  static final int MAX_ATTACHMENT_BYTES_LIMIT = 1 << 20;
  static final int MAX_TAGS_LIMIT = 100;
  static final int MAX_TAG_BYTES_LIMIT = 4096;
  static final int WAKE_BUFFER_LIMIT = 100_000;

  @JsonPropertyDescription("Open connections per instance; further upgrades get 503 with Retry-After.")
  @Default("" + DEFAULT_MAX_CONNECTIONS)
  @Min(1)
  @Max(MAX_CONNECTIONS_LIMIT)
  private Integer maxConnections = DEFAULT_MAX_CONNECTIONS;

  @JsonPropertyDescription("Largest client message in bytes; a bigger one closes the socket with 1009.")
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

  @JsonPropertyDescription("Events buffered per instance while its owner wakes; past it clients get 1013.")
  @Default("" + DEFAULT_WAKE_BUFFER_MESSAGES)
  @Min(0)
  @Max(WAKE_BUFFER_LIMIT)
  private Integer wakeBufferMessages = DEFAULT_WAKE_BUFFER_MESSAGES;

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
}
