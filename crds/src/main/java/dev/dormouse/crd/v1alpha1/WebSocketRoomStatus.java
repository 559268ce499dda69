package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebSocketRoomStatus {

  public static final String CONDITION_READY = "Ready";
  public static final String CONDITION_HIBERNATED = "Hibernated";
  public static final String CONDITION_RECONCILED = "Reconciled";

  @JsonPropertyDescription("Pending, Active, Hibernated or Degraded.")
  private RoomPhase phase;

  @JsonPropertyDescription("Owner pods wanted and ready.")
  private OwnerCounts owners;

  @JsonPropertyDescription("Open client connections over all instances.")
  private Long connections;

  @JsonPropertyDescription("Instances in memory and hibernated.")
  private InstanceCounts instances;

  @JsonPropertyDescription("Last event any instance handled (RFC 3339).")
  private String lastActivityTime;

  @JsonPropertyDescription("The metadata.generation this status was computed from.")
  private Long observedGeneration;

  @JsonPropertyDescription("Ready, Hibernated and Reconciled.")
  private List<Condition> conditions = new ArrayList<>();

  public RoomPhase getPhase() {
    return phase;
  }

  public void setPhase(RoomPhase phase) {
    this.phase = phase;
  }

  public OwnerCounts getOwners() {
    return owners;
  }

  public void setOwners(OwnerCounts owners) {
    this.owners = owners;
  }

  public Long getConnections() {
    return connections;
  }

  public void setConnections(Long connections) {
    this.connections = connections;
  }

  public InstanceCounts getInstances() {
    return instances;
  }

  public void setInstances(InstanceCounts instances) {
    this.instances = instances;
  }

  public String getLastActivityTime() {
    return lastActivityTime;
  }

  public void setLastActivityTime(String lastActivityTime) {
    this.lastActivityTime = lastActivityTime;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof WebSocketRoomStatus that)) {
      return false;
    }
    return phase == that.phase
        && Objects.equals(owners, that.owners)
        && Objects.equals(connections, that.connections)
        && Objects.equals(instances, that.instances)
        && Objects.equals(lastActivityTime, that.lastActivityTime)
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase, owners, connections, instances, lastActivityTime, observedGeneration, conditions);
  }
}
