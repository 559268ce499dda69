package dev.dormouse.publish;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.gateway.RoomExchanges;
import dev.dormouse.room.RoomKey;
import dev.dormouse.store.StoreException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST …/messages[?tag=T]}: the body, as a text or binary message, to every connection of the
 * instance or to those carrying the tag. Answered 202 with the {@link Delivery} once every gateway
 * holding one of them has its share in its stream; the room is not told, so it is not woken.
 */
final class MessagesAction implements PublishAction {

  private static final Logger log = LoggerFactory.getLogger(MessagesAction.class);

  static final String NAME = "messages";
  static final String TAG = "tag";

  /** Seconds a caller is told to wait after a 503: Redis reconnects within one. */
  static final String RETRY_AFTER_SECONDS = "1";

  private final Publisher publisher;
  private final PublishMetrics metrics;

  MessagesAction(Publisher publisher, PublishMetrics metrics) {
    this.publisher = publisher;
    this.metrics = metrics;
  }

  @Override
  public Set<HttpString> methods() {
    return Set.of(Methods.POST);
  }

  @Override
  public void handle(HttpServerExchange exchange, RoomSettings room, RoomKey key, String rest) {
    if (!rest.isEmpty()) {
      PublishReplies.error(exchange, StatusCodes.NOT_FOUND, "Nothing under " + NAME + "/");
      return;
    }
    Optional<String> tag;
    try {
      tag = tag(exchange.getQueryParameters(), room);
    } catch (IllegalArgumentException e) {
      PublishReplies.error(exchange, StatusCodes.BAD_REQUEST, e.getMessage());
      return;
    }
    Optional<MessageBody> kind =
        MessageBody.of(exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE));
    if (kind.isEmpty()) {
      PublishReplies.error(exchange, StatusCodes.UNSUPPORTED_MEDIA_TYPE, MessageBody.ACCEPTED);
      return;
    }
    LimitedBody.read(
        exchange,
        room.maxMessageBytes(),
        "message",
        (received, body) -> {
          if (!kind.get().accepts(body)) {
            PublishReplies.error(
                received, StatusCodes.BAD_REQUEST, "The body is not valid UTF-8 text");
            return;
          }
          // Reading the connection records waits on Redis: not on the I/O thread.
          received.dispatch(
              () -> publish(received, key, tag, kind.get() == MessageBody.TEXT, body));
        });
  }

  private void publish(
      HttpServerExchange exchange, RoomKey key, Optional<String> tag, boolean text, byte[] body) {
    try {
      publisher
          .publish(key, tag, text, body)
          .whenComplete(
              (delivery, error) ->
                  // Completed by Redis's client thread: the exchange is written on its own.
                  RoomExchanges.onIoThread(
                      exchange,
                      ex -> {
                        if (error == null) {
                          metrics.published();
                          PublishReplies.json(ex, StatusCodes.ACCEPTED, delivery);
                        } else {
                          failed(ex, key, error);
                        }
                      }));
    } catch (RuntimeException e) {
      failed(exchange, key, e);
    }
  }

  private static void failed(HttpServerExchange exchange, RoomKey key, Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof StoreException) {
      exchange.getResponseHeaders().put(Headers.RETRY_AFTER, RETRY_AFTER_SECONDS);
      PublishReplies.error(
          exchange,
          StatusCodes.SERVICE_UNAVAILABLE,
          "Redis is unavailable, nothing was published: " + cause.getMessage());
    } else {
      log.error("publishing to {} failed", key, cause);
      PublishReplies.error(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "Publishing failed");
    }
  }

  /** The {@code tag} parameter, the only one taken: a misspelt one would publish to everyone. */
  static Optional<String> tag(Map<String, Deque<String>> query, RoomSettings room) {
    for (String name : query.keySet()) {
      if (!name.equals(TAG)) {
        throw new IllegalArgumentException(
            "Unknown query parameter '" + name + "': only " + TAG + " is taken");
      }
    }
    Deque<String> tags = query.get(TAG);
    if (tags == null) {
      return Optional.empty();
    }
    if (tags.size() != 1 || tags.getFirst().isEmpty()) {
      throw new IllegalArgumentException("Give one non-empty " + TAG);
    }
    String tag = tags.getFirst();
    if (tag.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > room.maxTagBytes()) {
      throw new IllegalArgumentException(
          "The tag is longer than the room's limit of " + room.maxTagBytes() + " bytes");
    }
    return Optional.of(tag);
  }
}
