package dev.dormouse.runtime;

import dev.dormouse.link.ClientSink;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the gateways an owner talks to, and writes down what the owner told them. */
final class RecordingClientSink implements ClientSink {

  record Sent(String gatewayId, List<String> connectionIds, String text, long atNanos) {}

  record Redirect(RoomEvent event, Optional<String> holder) {}

  record Closed(String gatewayId, String connectionId, int code, String reason) {}

  final List<Sent> sent = new CopyOnWriteArrayList<>();
  final List<Redirect> redirects = new CopyOnWriteArrayList<>();
  final List<Closed> closes = new CopyOnWriteArrayList<>();

  @Override
  public void send(String gatewayId, Collection<String> connectionIds, OutboundMessage message) {
    sent.add(
        new Sent(
            gatewayId,
            List.copyOf(connectionIds),
            StandardCharsets.UTF_8.decode(message.view()).toString(),
            System.nanoTime()));
  }

  @Override
  public void close(String gatewayId, String connectionId, int code, String reason) {
    closes.add(new Closed(gatewayId, connectionId, code, reason));
  }

  @Override
  public void autoResponse(RoomKey key, AutoResponsePair pair) {}

  @Override
  public void redirect(RoomEvent event, Optional<String> holder) {
    redirects.add(new Redirect(event, holder));
  }

  record Call(RoomKey target, RoomRequest request, CompletableFuture<RoomResponse> answer) {}

  /** Calls the rooms made; the test completes their answers. */
  final List<Call> calls = new CopyOnWriteArrayList<>();

  /** Thrown by {@link #call} when set, as a sink that could not even send it would. */
  volatile RuntimeException callFailure;

  @Override
  public CompletableFuture<RoomResponse> call(RoomKey target, RoomRequest request) {
    if (callFailure != null) {
      throw callFailure;
    }
    CompletableFuture<RoomResponse> answer = new CompletableFuture<>();
    calls.add(new Call(target, request, answer));
    return answer;
  }
}
