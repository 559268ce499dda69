package dev.dormouse.gateway;

import java.time.Duration;

/**
 * How long and how much the gateway gives a client connection before it is a WebSocket, and how
 * long it waits for a closing handshake. Room limits (message size, rates) are the room's own;
 * these are the gateway's, set by environment variable (the gateway role's settings; docs/limits.md).
 *
 * @param handshakeTimeout time for a request's headers to arrive once the first byte has
 * @param idleTimeout time a TCP connection may stay open without sending a request
 * @param closeTimeout time a client has to answer the gateway's close frame (or leave) before the
 *     TCP connection is closed regardless
 * @param maxPendingUpgrades upgrades waiting for their room's answer at once; past it 503 (plain
 *     HTTP requests into rooms, a client's or a room's call, are capped alike, counted apart)
 * @param maxHeaderBytes largest request head; past it the request is refused
 */
public record EdgeSettings(
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration closeTimeout,
    int maxPendingUpgrades,
    int maxHeaderBytes) {

  /** Enough for a phone on a bad network; too short to hold a socket by dribbling headers. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_MAX_PENDING_UPGRADES = 1000;

  /** A JWT and a browser's cookies fit; Undertow's own default is 1 MiB. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 32 << 10;

  public static EdgeSettings defaults() {
    return new EdgeSettings(
        DEFAULT_HANDSHAKE_TIMEOUT,
        DEFAULT_IDLE_TIMEOUT,
        DEFAULT_CLOSE_TIMEOUT,
        DEFAULT_MAX_PENDING_UPGRADES,
        DEFAULT_MAX_HEADER_BYTES);
  }
}
