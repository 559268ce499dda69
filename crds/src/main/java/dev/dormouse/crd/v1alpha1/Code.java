package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Where a room's code comes from when it is not in the owner image. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Code {

  /** The owner image's room library folder, where {@link #getConfigMap()} is mounted. */
  public static final String LIB_DIR = "/opt/dormouse/lib";

  /** The longest Kubernetes object name (a DNS subdomain). */
  public static final int NAME_MAX_LENGTH = 253;

  @JsonPropertyDescription(
      "A ConfigMap in the room's namespace whose keys are the room's JavaScript modules. The"
          + " operator mounts it read-only at /opt/dormouse/lib/<name>/ in the owner pods, so the"
          + " handler is js:<name>/<key>#<ExportName>.")
  @Required
  @Pattern(SecretKeyRef.NAME_PATTERN)
  @Size(max = NAME_MAX_LENGTH)
  private String configMap;

  public Code() {}

  public Code(String configMap) {
    this.configMap = configMap;
  }

  public String getConfigMap() {
    return configMap;
  }

  public void setConfigMap(String configMap) {
    this.configMap = configMap;
  }

  /** Where the owner pods find the ConfigMap's keys as files. */
  public String mountPath() {
    return LIB_DIR + "/" + configMap;
  }
}
