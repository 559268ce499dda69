package dev.dormouse.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What Redis keeps of one connection: which gateway holds it, when it opened, its tags and its
 * attachment (JSON text, or null).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionRecord(
    @JsonProperty("g") String gatewayId,
    @JsonProperty("c") long createdAt,
    @JsonProperty("t") List<String> tags,
    @JsonProperty("a") String attachment) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public ConnectionRecord {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  public ConnectionRecord withAttachment(String json) {
    return new ConnectionRecord(gatewayId, createdAt, tags, json);
  }

  public ConnectionRecord withTags(List<String> newTags) {
    return new ConnectionRecord(gatewayId, createdAt, newTags, attachment);
  }

  public String encode() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ConnectionRecord decode(String text) {
    try {
      return JSON.readValue(text, ConnectionRecord.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("unreadable connection record: " + text, e);
    }
  }
}
