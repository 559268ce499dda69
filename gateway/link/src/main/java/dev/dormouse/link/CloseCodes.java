package dev.dormouse.link;

/**
 * The WebSocket close codes Dormouse sends or interprets (RFC 6455 §7.4.1 and the IANA registry),
 * named once for the edge, the link and the owner.
 */
public final class CloseCodes {

  public static final int NORMAL = 1000;
  public static final int GOING_AWAY = 1001;
  public static final int PROTOCOL_ERROR = 1002;

  /** Never on the wire: a close frame without a code. */
  public static final int NO_STATUS = 1005;

  /** Never on the wire: the connection ended without a close frame. */
  public static final int ABNORMAL = 1006;

  public static final int INVALID_PAYLOAD = 1007;
  public static final int POLICY_VIOLATION = 1008;
  public static final int MESSAGE_TOO_BIG = 1009;

  /** Never sent by Dormouse itself; a room may close with it (its code failed). */
  public static final int INTERNAL_ERROR = 1011;

  public static final int TRY_AGAIN_LATER = 1013;

  /** Never on the wire: the TLS handshake failed. */
  public static final int TLS_FAILURE = 1015;

  private CloseCodes() {}
}
