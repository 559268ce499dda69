package dev.dormouse.gateway;

import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.RequestSource;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes an HTTP request to a room instance's {@code onRequest} — a client's, or another room's call —
 * to the instance's owner as a {@link RoomEvent.Request} through the router (which wakes the room,
 * waits for its owner, follows fences and hand-backs), and gives back its answer. The one place where
 * the room, its instance and the body are checked against the room's settings, so every route in
 * answers alike. Every request is answered: by the room, or a refusal's status, or — should neither
 * come within the room's wake timeout plus its eventTimeout (and a second) — 504.
 */
public final class RoomRequests {

  /** Beyond the room's own bounds, before the gateway stops waiting for an owner's answer. */
  static final Duration ANSWER_GRACE = Duration.ofSeconds(1);

  static final String NO_ANSWER = "Room did not answer in time";

  static final String TOO_MANY = "Too many requests waiting for their rooms, try again";

  private final RoomCatalog catalog;
  private final RoomEventSink events;
  private final String gatewayId;
  private final ScheduledExecutorService timers;
  private final Duration wakeTimeout;

  /**
   * Requests waiting for their rooms' answers at once, as for upgrades: each holds its body, so past
   * the cap the gateway answers 503 rather than grow without end while rooms wake.
   */
  private final int maxPending;

  private final AtomicInteger pending = new AtomicInteger();

  public RoomRequests(
      RoomCatalog catalog,
      RoomEventSink events,
      String gatewayId,
      ScheduledExecutorService timers,
      Duration wakeTimeout,
      int maxPending) {
    this.catalog = catalog;
    this.events = events;
    this.gatewayId = gatewayId;
    this.timers = timers;
    this.wakeTimeout = wakeTimeout;
    this.maxPending = maxPending;
  }

  /**
   * Sends a request to {@code key}'s instance. Answers at once 404 (no such room, an instance of a
   * room without instances, a bad instance name), 413 (a body over the room's maxMessageBytes) or 503
   * (too many requests waiting already).
   * Hop-by-hop headers are dropped.
   */
  public CompletableFuture<RoomResponse> send(RoomKey key, RoomRequest request) {
    Optional<RoomSettings> found = catalog.find(key.namespace(), key.room());
    if (found.isEmpty()) {
      return CompletableFuture.completedFuture(noSuchRoom(key.room()));
    }
    RoomSettings settings = found.get();
    if (!key.instance().isEmpty() && !settings.instances()) {
      return CompletableFuture.completedFuture(
          RoomResponse.text(
              HttpStatus.NOT_FOUND, "Room '" + settings.name() + "' has no instances"));
    }
    if (!key.instance().isEmpty() && !InstanceNames.valid(key.instance())) {
      return CompletableFuture.completedFuture(
          RoomResponse.text(HttpStatus.NOT_FOUND, Route.INSTANCE_RULE));
    }
    if (request.body().length > settings.maxMessageBytes()) {
      return CompletableFuture.completedFuture(tooLarge(settings));
    }
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      return CompletableFuture.completedFuture(
          RoomResponse.text(HttpStatus.SERVICE_UNAVAILABLE, TOO_MANY)
              .withHeader(HttpStatus.RETRY_AFTER, HttpStatus.RETRY_AFTER_SECONDS));
    }
    CompletableFuture<RoomResponse> response = new CompletableFuture<>();
    ScheduledFuture<?> deadline =
        timers.schedule(
            () -> response.complete(RoomResponse.text(HttpStatus.GATEWAY_TIMEOUT, NO_ANSWER)),
            wakeTimeout.plus(settings.eventTimeout()).plus(ANSWER_GRACE).toMillis(),
            TimeUnit.MILLISECONDS);
    response.whenComplete(
        (answer, error) -> {
          deadline.cancel(false);
          pending.decrementAndGet();
        });
    RoomEvent.Request event =
        new RoomEvent.Request(
            key,
            gatewayId,
            new RoomRequest(
                request.method(),
                request.path(),
                request.fullPath(),
                request.query(),
                HopByHop.strip(request.headers()),
                request.body(),
                request.source()),
            response);
    if (!events.offer(event)) {
      event.refuse(Refusal.OVERLOADED, (gateway, connection, code, reason) -> {});
    }
    return response;
  }

  /**
   * A room's call, from its owner: sent as {@link #send} does, under the path a client would use
   * for the same request.
   */
  public CompletableFuture<RoomResponse> call(RoomKey key, RoomRequest request) {
    String instance = key.instance().isEmpty() ? "" : "/" + key.instance();
    String path = request.path().startsWith("/") ? request.path() : "/" + request.path();
    return send(
        key,
        new RoomRequest(
            request.method(),
            path,
            HttpRoute.ROOMS + key.room() + instance + path,
            request.query(),
            request.headers(),
            request.body(),
            RequestSource.ROOM));
  }

  static RoomResponse noSuchRoom(String room) {
    return RoomResponse.text(HttpStatus.NOT_FOUND, "No room named '" + room + "'");
  }

  static RoomResponse tooLarge(RoomSettings settings) {
    return RoomResponse.text(
        HttpStatus.PAYLOAD_TOO_LARGE,
        "Request body larger than the room's limit of " + settings.maxMessageBytes() + " bytes");
  }
}
