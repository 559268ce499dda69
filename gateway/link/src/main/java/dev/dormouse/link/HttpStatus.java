package dev.dormouse.link;

/** The HTTP statuses Dormouse answers a WebSocket upgrade with, named once for the edge, the link and the owner. */
public final class HttpStatus {

  public static final int SWITCHING_PROTOCOLS = 101;
  public static final int BAD_REQUEST = 400;
  public static final int UNAUTHORIZED = 401;
  public static final int FORBIDDEN = 403;
  public static final int NOT_FOUND = 404;
  public static final int UPGRADE_REQUIRED = 426;
  public static final int INTERNAL_SERVER_ERROR = 500;
  public static final int SERVICE_UNAVAILABLE = 503;

  private HttpStatus() {}
}
