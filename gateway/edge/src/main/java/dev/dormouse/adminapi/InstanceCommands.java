package dev.dormouse.adminapi;

import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import dev.dormouse.room.RoomKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends an operator's order to an instance's owner through the router, as any event goes, so it
 * reaches the owner wherever it runs, in order behind the instance's earlier events.
 */
public final class InstanceCommands {

  /**
   * How long a caller waits for the owner to obey. Past it the order still stands (it waits in the
   * instance's mailbox or at this gateway): the API answers 202 all the same.
   */
  static final Duration PATIENCE = Duration.ofSeconds(5);

  private final RoomEventSink router;
  private final String gatewayId;

  public InstanceCommands(RoomEventSink router, String gatewayId) {
    this.router = router;
    this.gatewayId = gatewayId;
  }

  /**
   * Sends the order and waits for the owner, at most {@link #PATIENCE}.
   *
   * @return the refusal that kept it from the owner, if one did
   */
  public Optional<Refusal> send(RoomKey key, RoomEvent.Command.Action action)
      throws InterruptedException {
    CompletableFuture<Optional<Refusal>> done = new CompletableFuture<>();
    RoomEvent.Command command = new RoomEvent.Command(key, gatewayId, action, done);
    if (!router.offer(command)) {
      return Optional.of(Refusal.OVERLOADED);
    }
    try {
      return done.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillOnItsWay) {
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(Refusal.UNAVAILABLE);
    }
  }
}
