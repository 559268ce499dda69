package dev.dormouse.operator.pods;

/** The operator-wide part of an owner pod: what no room spec says. */
public record OwnerPodSettings(
    String defaultImage, String redisUrl, String redisSecretName, String linkSecretName) {}
