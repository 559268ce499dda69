package dev.dormouse.contract;

/** Annotations and labels through which the components talk about rooms and owner pods. */
public final class Annotations {

  /**
   * Set on a WebSocketRoom by a gateway that has events for a room with no ready owner; the value is
   * the RFC 3339 time of the request. The operator keeps at least one owner for the room from then on
   * until the room has been idle for scaleToZeroAfter.
   */
  public static final String WAKE_REQUESTED = "dormouse.dev/wake-requested";

  /** Owner pod label: the WebSocketRoom it serves. */
  public static final String ROOM_LABEL = "dormouse.dev/room";

  /** Pod label: {@code owner}, {@code gateway} or {@code operator}. */
  public static final String ROLE_LABEL = "dormouse.dev/role";

  public static final String ROLE_OWNER = "owner";

  /** Owner pod annotation: hash of the spec fields the pod was built from, to roll on change. */
  public static final String SPEC_HASH = "dormouse.dev/spec-hash";

  private Annotations() {}
}
