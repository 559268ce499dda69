package dev.dormouse.link;

/** Closes one client connection, wherever its gateway holds it: how the sender of a refused message is told. */
@FunctionalInterface
public interface ClientCloser {

  void close(String gatewayId, String connectionId, int code, String reason);
}
