package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyRef {

  /** A Kubernetes object name (DNS subdomain) and a Secret data key. */
  public static final String NAME_PATTERN = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";

  public static final String KEY_PATTERN = "^[-._a-zA-Z0-9]+$";

  @JsonPropertyDescription("Name of a Secret in the room's namespace.")
  @Required
  @Pattern(NAME_PATTERN)
  private String name;

  @JsonPropertyDescription("Key within the Secret.")
  @Required
  @Pattern(KEY_PATTERN)
  private String key;

  public SecretKeyRef() {}

  public SecretKeyRef(String name, String key) {
    this.name = name;
    this.key = key;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }
}
