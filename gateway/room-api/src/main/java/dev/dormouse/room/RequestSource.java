package dev.dormouse.room;

/**
 * Who sent a {@link RoomRequest}, as the gateway that took it knows from where it came: never from
 * anything the sender wrote, so a client cannot pass for a backend. A room serves an endpoint only to
 * its backend by refusing it unless {@link #BACKEND}. The order is the link's wire format: add at
 * the end only.
 */
public enum RequestSource {
  /** A client of the public port, to {@code /rooms/{room}[/{instance}]/{path…}}: anyone. */
  CLIENT,
  /** The backend, through the publish API ({@code …/request/{path…}}), with its bearer token. */
  BACKEND,
  /** Another room instance (or this one) of the same namespace, through {@link RoomStub}. */
  ROOM
}
