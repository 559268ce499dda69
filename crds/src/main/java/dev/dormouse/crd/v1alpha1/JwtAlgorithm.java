package dev.dormouse.crd.v1alpha1;

public enum JwtAlgorithm {
  HS256,
  RS256
}
