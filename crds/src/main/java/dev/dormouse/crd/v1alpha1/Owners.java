package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.maxReplicas) || !has(self.minReplicas) || self.minReplicas <= self.maxReplicas",
    message = "owners.minReplicas must not exceed owners.maxReplicas")
public class Owners {

  public static final int DEFAULT_MIN_REPLICAS = 0;
  public static final int DEFAULT_MAX_REPLICAS = 1;
  public static final int DEFAULT_MAX_REPLICAS_WITH_INSTANCES = 10;
  public static final int DEFAULT_ACTIVE_INSTANCES_PER_OWNER = 1000;
  public static final int REPLICAS_LIMIT = 1000;

  @JsonPropertyDescription("Owner pods kept even while the room sleeps.")
  @Default("" + DEFAULT_MIN_REPLICAS)
  @Min(0)
  @Max(REPLICAS_LIMIT)
  private Integer minReplicas = DEFAULT_MIN_REPLICAS;

  @JsonPropertyDescription("Most owner pods; unset means 1, or 10 when spec.instances is true.")
  @Min(1)
  @Max(REPLICAS_LIMIT)
  private Integer maxReplicas;

  @JsonPropertyDescription(
      "Active instances one owner pod is expected to carry before another is added.")
  @Default("" + DEFAULT_ACTIVE_INSTANCES_PER_OWNER)
  @Min(1)
  private Integer activeInstancesPerOwner = DEFAULT_ACTIVE_INSTANCES_PER_OWNER;

  @JsonPropertyDescription("Compute resources of each owner pod.")
  private ResourceRequirements resources;

  public Integer getMinReplicas() {
    return minReplicas;
  }

  public void setMinReplicas(Integer minReplicas) {
    this.minReplicas = minReplicas;
  }

  public Integer getMaxReplicas() {
    return maxReplicas;
  }

  public void setMaxReplicas(Integer maxReplicas) {
    this.maxReplicas = maxReplicas;
  }

  public Integer getActiveInstancesPerOwner() {
    return activeInstancesPerOwner;
  }

  public void setActiveInstancesPerOwner(Integer activeInstancesPerOwner) {
    this.activeInstancesPerOwner = activeInstancesPerOwner;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }
}
