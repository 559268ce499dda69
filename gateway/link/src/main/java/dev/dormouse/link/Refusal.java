package dev.dormouse.link;

/**
 * Why Dormouse turned an event away, and what its client is told: a WebSocket close for a socket, an
 * HTTP status for an upgrade still waiting for its room. The reason texts are what clients read, so
 * they are written here once.
 */
public enum Refusal {
  WAKE_TIMED_OUT(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "Room did not wake in time, try again later"),
  BUFFER_FULL(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "Room is waking and its buffer is full, try again later"),
  OWNER_LOST(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "Room owner lost before handling a message, try again"),
  /** The gateway's link to the owner went down while the event waited for the owner's answer. */
  LINK_LOST(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "Owner connection lost, try again"),
  OVERLOADED(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "Room is overloaded, try again later"),
  UNAVAILABLE(
      CloseCodes.TRY_AGAIN_LATER, HttpStatus.SERVICE_UNAVAILABLE, "Room unavailable, try again"),
  UNKNOWN_CONNECTION(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "Connection no longer known to its room, connect again"),
  GATEWAY_REAPED(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "This gateway was unreachable and taken for dead; connect again"),
  /**
   * This gateway could not renew its heartbeat in Redis for nearly as long as the other gateways wait
   * before taking it for dead, so it stopped serving before they tell its clients' rooms they are
   * gone.
   */
  GATEWAY_FENCED(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "This gateway lost its registry and stopped serving; connect again"),
  /**
   * The owner dropped what its room sent this connection: the gateway was not linked for longer than
   * the owner keeps commands for it (a network cut between the two), though the gateway lived on.
   */
  MESSAGES_DROPPED(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "Messages to this connection were lost while its gateway was unreachable; connect again"),
  /**
   * The room's owner is alive (it holds the room's lease) but this gateway has not reached it for
   * longer than the owner keeps messages for it: whatever the room sent this connection since may be
   * lost, and another gateway may reach the owner.
   */
  OWNER_UNREACHABLE(
      CloseCodes.TRY_AGAIN_LATER,
      HttpStatus.SERVICE_UNAVAILABLE,
      "This gateway cannot reach the room's owner; connect again"),
  ROOM_DELETED(CloseCodes.GOING_AWAY, HttpStatus.NOT_FOUND, "Room deleted"),
  /**
   * The owner has no such room: perhaps it was deleted, perhaps the owner's catalog has not caught up
   * with the gateway's yet, so a message's sender may try again.
   */
  ROOM_NOT_SERVED(
      CloseCodes.TRY_AGAIN_LATER, HttpStatus.NOT_FOUND, "No such room on this owner, try again"),
  GATEWAY_SHUTTING_DOWN(
      CloseCodes.GOING_AWAY, HttpStatus.SERVICE_UNAVAILABLE, "Gateway shutting down");

  private final int closeCode;
  private final int httpStatus;
  private final String reason;

  Refusal(int closeCode, int httpStatus, String reason) {
    this.closeCode = closeCode;
    this.httpStatus = httpStatus;
    this.reason = reason;
  }

  public int closeCode() {
    return closeCode;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public String reason() {
    return reason;
  }
}
