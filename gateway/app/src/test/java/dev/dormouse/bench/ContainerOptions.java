package dev.dormouse.bench;

import java.util.Map;

/**
 * The flags of the {@code containers} scenario (issue 16): the image under test, as
 * e2e/containers.sh builds it, and how many hibernated sockets the gateway container holds.
 */
record ContainerOptions(String image, int sockets) {

  static final String USAGE =
      """
        --image=dormouse:check       containers: the dormouse image (e2e/containers.sh builds it)
        --container-sockets=10000    containers: hibernated sockets held by the gateway container
      """;

  /** Takes this scenario's flags out of {@code flags}. */
  static ContainerOptions parse(Map<String, String> flags) {
    String image = flags.remove("image");
    String sockets = flags.remove("container-sockets");
    return new ContainerOptions(
        image == null ? "dormouse:check" : image,
        sockets == null ? 10_000 : Integer.parseInt(sockets));
  }
}
