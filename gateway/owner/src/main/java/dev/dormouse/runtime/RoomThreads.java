package dev.dormouse.runtime;

/** The threads that run room code, as the runtime uses them; {@link HandlerPool} in production. */
interface RoomThreads {

  void execute(Runnable task);

  /** A thread is lost to a handler that overran; add one in its place. */
  void compensateStuck();

  /** The overrunning handler finally returned its thread. */
  void stuckReturned();

  /** Threads waiting on Redis that another thread stands in for now. */
  int waitingReplaced();

  void shutdown(long timeoutMillis) throws InterruptedException;
}
