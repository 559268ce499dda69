package dev.dormouse.link;

import dev.dormouse.contract.RoomKey;
import dev.dormouse.room.ConnectRequest;
import dev.dormouse.room.Message;
import java.util.concurrent.CompletionStage;

/**
 * Events a gateway delivers to the owner of a room key. Every method returns without blocking; the
 * events of one connection must be delivered in the order they happened.
 */
public interface RoomEvents {

  /** A client asks to join; completes with the room's decision. */
  CompletionStage<ConnectOutcome> connect(RoomKey key, String connectionId, String gatewayId,
      ConnectRequest request);

  /**
   * A client message.
   *
   * @return false when the instance cannot take more events now (its queue is full); the gateway
   *     then closes the connection with 1013
   */
  boolean message(RoomKey key, String connectionId, String gatewayId, Message message);

  /** The gateway saw a protocol error on the connection (a close event follows). */
  void error(RoomKey key, String connectionId, String gatewayId, String description);

  /**
   * The connection ended: the client closed ({@code roomInitiated} false), the room closed it, or it
   * was lost (1006, not clean). Completes once the room has handled it.
   */
  CompletionStage<Void> close(RoomKey key, String connectionId, String gatewayId, int code, String reason,
      boolean wasClean, boolean roomInitiated);
}
