package dev.dormouse.link;

/** The HTTP statuses Dormouse answers a WebSocket upgrade or an HTTP request with, named once for the edge, the link and the owner. */
public final class HttpStatus {

  public static final int SWITCHING_PROTOCOLS = 101;
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int PAYLOAD_TOO_LARGE = 413;
  public static final int UPGRADE_REQUIRED = 426;
  public static final int INTERNAL_SERVER_ERROR = 500;
  public static final int BAD_GATEWAY = 502;
  public static final int SERVICE_UNAVAILABLE = 503;
  public static final int GATEWAY_TIMEOUT = 504;

  /** The header of a 503, and how many seconds it asks a client to wait. */
  public static final String RETRY_AFTER = "retry-after";

  public static final String RETRY_AFTER_SECONDS = "1";

  private HttpStatus() {}
}
