package dev.dormouse.link;

/** Takes room events toward their owner. Never blocks; the events of one connection keep their order. */
public interface RoomEventSink {

  /**
   * Hands an event on.
   *
   * @return false when a client message cannot be taken now (its room's queue is full): the gateway
   *     then closes the connection with 1013. Other events are always taken; a connect that cannot
   *     be served completes its outcome with a refusal instead.
   */
  boolean offer(RoomEvent event);
}
