package dev.dormouse.link.wire;

import dev.dormouse.link.ClientSink;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomRequest;
import dev.dormouse.room.RoomResponse;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for a gateway's client connections: records every command the link applies to it. */
final class RecordingClients implements ClientSink {

  record Sent(String gatewayId, List<String> connectionIds, OutboundMessage message) {}

  record Closed(String gatewayId, String connectionId, int code, String reason) {}

  record AutoResponse(RoomKey key, AutoResponsePair pair) {}

  record Redirected(RoomEvent event, Optional<String> holder) {}

  final List<Sent> sent = new CopyOnWriteArrayList<>();
  final List<Closed> closed = new CopyOnWriteArrayList<>();
  final List<AutoResponse> autoResponses = new CopyOnWriteArrayList<>();
  final List<Redirected> redirected = new CopyOnWriteArrayList<>();

  record Called(RoomKey target, RoomRequest request, CompletableFuture<RoomResponse> answer) {}

  /** Calls the owner's rooms made through this gateway; the test completes their answers. */
  final List<Called> called = new CopyOnWriteArrayList<>();

  @Override
  public void send(String gatewayId, Collection<String> connectionIds, OutboundMessage message) {
    sent.add(new Sent(gatewayId, List.copyOf(connectionIds), message));
  }

  @Override
  public void close(String gatewayId, String connectionId, int code, String reason) {
    closed.add(new Closed(gatewayId, connectionId, code, reason));
  }

  @Override
  public void autoResponse(RoomKey key, AutoResponsePair pair) {
    autoResponses.add(new AutoResponse(key, pair));
  }

  @Override
  public void redirect(RoomEvent event, Optional<String> holder) {
    redirected.add(new Redirected(event, holder));
  }

  @Override
  public CompletableFuture<RoomResponse> call(RoomKey target, RoomRequest request) {
    CompletableFuture<RoomResponse> answer = new CompletableFuture<>();
    called.add(new Called(target, request, answer));
    return answer;
  }
}
