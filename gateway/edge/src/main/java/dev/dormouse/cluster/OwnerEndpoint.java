package dev.dormouse.cluster;

import java.net.InetSocketAddress;
import java.util.Objects;

/** A room-owner process: its id (the pod name) and where gateways reach its link port. */
public record OwnerEndpoint(String ownerId, InetSocketAddress linkAddress) {

  public OwnerEndpoint {
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(linkAddress, "linkAddress");
  }
}
