package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

public record OwnerCounts(
    @JsonPropertyDescription("Owner pods the scaling policy wants.") Integer desired,
    @JsonPropertyDescription("Owner pods that are Ready.") Integer ready) {}
