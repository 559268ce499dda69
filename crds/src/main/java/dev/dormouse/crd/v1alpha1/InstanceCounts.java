package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public record InstanceCounts(
    @JsonPropertyDescription("Instances in memory on some owner.") Integer active,
    @JsonPropertyDescription("Instances with open connections but evicted from memory.")
        Integer hibernated) {}
