package dev.dormouse.cluster;

/** Asks for owners for a room that has events waiting and no ready owner. */
public interface WakeRequester {

  /** Never blocks the caller (an I/O thread); calling it again while a wake is under way is cheap. */
  void requestWake(String namespace, String room);
}
