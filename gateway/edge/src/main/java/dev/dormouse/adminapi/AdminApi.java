package dev.dormouse.adminapi;

import dev.dormouse.admin.AdminAccess;
import dev.dormouse.admin.AdminReplies;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.StoreException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The admin API under {@code /api/} ({@code docs/admin.md}): the rooms and their instances, and
 * orders to hibernate or wake an instance. Every request is checked against the {@link AdminAccess}
 * first, then runs on a worker thread, since it reads Redis.
 */
public final class AdminApi implements HttpHandler {

  public static final String PREFIX = "/api/";

  private static final String ROOMS = "rooms";
  private static final Map<String, RoomEvent.Command.Action> ACTIONS =
      Map.of(
          "hibernate", RoomEvent.Command.Action.HIBERNATE,
          "wake", RoomEvent.Command.Action.WAKE);

  private final AdminAccess access;
  private final InstanceStates states;
  private final InstanceCommands commands;

  public AdminApi(AdminAccess access, InstanceStates states, InstanceCommands commands) {
    this.access = access;
    this.states = states;
    this.commands = commands;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    boolean changes = !exchange.getRequestMethod().equals(Methods.GET);
    var refusal =
        access.refusal(
            access.check(changes, exchange.getRequestHeaders().getFirst(Headers.AUTHORIZATION)));
    if (refusal.isPresent()) {
      AdminReplies.error(exchange, refusal.get());
      return;
    }
    if (exchange.isInIoThread()) {
      exchange.dispatch(() -> answer(exchange));
    }
  }

  private void answer(HttpServerExchange exchange) {
    try {
      route(exchange);
    } catch (StoreException e) {
      AdminReplies.error(exchange, 503, "Redis unavailable: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      AdminReplies.error(exchange, 503, "gateway stopping");
    }
  }

  private void route(HttpServerExchange exchange) throws InterruptedException {
    String[] parts = exchange.getRequestPath().substring(PREFIX.length()).split("/", -1);
    if (parts.length == 0 || !parts[0].equals(ROOMS) || parts.length > 5 || hasEmpty(parts)) {
      notFound(exchange);
      return;
    }
    HttpString method = parts.length == 5 ? Methods.POST : Methods.GET;
    if (!exchange.getRequestMethod().equals(method)) {
      AdminReplies.methodNotAllowed(exchange, method);
      return;
    }
    switch (parts.length) {
      case 1 -> AdminReplies.json(exchange, 200, Map.of("rooms", states.rooms()));
      case 2 -> notFound(exchange);
      case 3 ->
          reply(
              exchange,
              200,
              states.room(parts[1], parts[2]),
              "no room " + parts[1] + "/" + parts[2]);
      case 4 -> reply(exchange, 200, states.instance(key(parts)), unknownInstance(parts));
      default -> command(exchange, parts);
    }
  }

  private void command(HttpServerExchange exchange, String[] parts) throws InterruptedException {
    RoomEvent.Command.Action action = ACTIONS.get(parts[4].toLowerCase(Locale.ROOT));
    if (action == null) {
      notFound(exchange);
      return;
    }
    RoomKey key = key(parts);
    Optional<InstanceView> before = states.instance(key);
    if (before.isEmpty()) {
      AdminReplies.error(exchange, 404, unknownInstance(parts));
      return;
    }
    if (action == RoomEvent.Command.Action.HIBERNATE
        && before.get().owner() == null
        && before.get().waitingEvents() == 0) {
      // Idempotent: nothing of it is in memory anywhere, so no owner need be asked.
      AdminReplies.json(exchange, 202, before.get());
      return;
    }
    if (!states.hasOwner(key)) {
      AdminReplies.error(
          exchange, 503, "room " + key.roomPath() + " has no owner this gateway can reach");
      return;
    }
    Optional<Refusal> refused = commands.send(key, action);
    if (refused.isPresent()) {
      AdminReplies.error(exchange, refused.get().httpStatus(), refused.get().reason());
      return;
    }
    reply(exchange, 202, states.instance(key), unknownInstance(parts));
  }

  private static void reply(
      HttpServerExchange exchange, int status, Optional<?> view, String missing) {
    if (view.isEmpty()) {
      AdminReplies.error(exchange, 404, missing);
    } else {
      AdminReplies.json(exchange, status, view.get());
    }
  }

  private static RoomKey key(String[] parts) {
    String instance = parts[3].equals(AdminPaths.SOLE_INSTANCE) ? "" : parts[3];
    return new RoomKey(parts[1], parts[2], instance);
  }

  private static String unknownInstance(String[] parts) {
    return "no instance "
        + parts[3]
        + " of room "
        + parts[1]
        + "/"
        + parts[2]
        + " (a room without named instances has one, "
        + AdminPaths.SOLE_INSTANCE
        + ")";
  }

  private static boolean hasEmpty(String[] parts) {
    for (String part : parts) {
      if (part.isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static void notFound(HttpServerExchange exchange) {
    AdminReplies.error(
        exchange,
        404,
        "unknown path "
            + exchange.getRequestPath()
            + ": try /api/rooms, /api/rooms/{namespace}/{room}, /api/rooms/{namespace}/{room}/{instance}"
            + " and POST …/{instance}/hibernate or …/wake");
  }
}
