package dev.dormouse.runtime;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.ClientSink;
import dev.dormouse.link.ConnectOutcome;
import dev.dormouse.link.HttpStatus;
import dev.dormouse.link.Refusal;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.room.ConnectDecision;
import dev.dormouse.room.RoomKey;
import dev.dormouse.room.RoomResponse;
import dev.dormouse.store.Lease;
import dev.dormouse.store.RoomStores;
import java.net.ProtocolException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands one event to the room code of its instance and answers whoever waits on it. */
final class Dispatcher {

  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private static final ConnectOutcome STORAGE_UNAVAILABLE =
      ConnectOutcome.refused(
          HttpStatus.SERVICE_UNAVAILABLE, "Room storage unavailable, try again later");

  private final RoomStores stores;
  private final ClientSink sink;
  private final Metrics metrics;
  private final Alarms alarms;
  private final OwnerClock clock;

  Dispatcher(RoomStores stores, ClientSink sink, Metrics metrics, Alarms alarms, OwnerClock clock) {
    this.stores = stores;
    this.sink = sink;
    this.metrics = metrics;
    this.alarms = alarms;
    this.clock = clock;
  }

  /**
   * @param instance the instance in memory; null only for an event that needs none
   * @param lease the lease the event is handled under
   */
  void dispatch(ActiveInstance instance, Lease lease, RoomKey key, RoomEvent event)
      throws Exception {
    if (event instanceof RoomEvent.Connect c) {
      connect(instance, c);
    } else if (event instanceof RoomEvent.Incoming m) {
      incoming(instance, key, m);
    } else if (event instanceof RoomEvent.Failure f) {
      OwnedSocket socket = instance.socket(f.connectionId());
      if (socket != null) {
        instance.room().onError(socket, new ProtocolException(f.description()));
      }
    } else if (event instanceof RoomEvent.Close c) {
      close(instance, lease, key, c);
    } else if (event instanceof RoomEvent.Fence f) {
      f.passed().complete(null);
    } else if (event instanceof RoomEvent.Request r) {
      request(instance, r);
    } else if (event instanceof RoomEvent.Continuation c) {
      c.step().run();
    } else if (event instanceof RoomEvent.Alarm a) {
      alarms.ring(instance, a);
    }
  }

  private void connect(ActiveInstance instance, RoomEvent.Connect c) {
    if (instance.connectionCount() >= instance.settings().maxConnections()) {
      c.outcome()
          .complete(
              ConnectOutcome.refused(
                  HttpStatus.SERVICE_UNAVAILABLE, "Room " + instance.key() + " is full"));
      return;
    }
    OwnedSocket socket = instance.candidate(c.connectionId(), c.gatewayId());
    // Before onConnect: its welcome and join notices wait for the record, as what follows does.
    OutputGate.Hold hold = instance.holdOutput();
    boolean registering = false;
    try {
      ConnectDecision decision = instance.room().onConnect(socket, c.request());
      if (!decision.accepted()) {
        c.outcome().complete(ConnectOutcome.refused(decision.status(), decision.body()));
        return;
      }
      ConnectOutcome accepted = ConnectOutcome.accepted(instance.getWebSocketAutoResponse());
      instance
          .accept(socket, decision.tags())
          .whenComplete(
              (written, error) -> {
                if (error == null) {
                  hold.release(() -> c.outcome().complete(accepted));
                } else {
                  registrationFailed(instance, socket, error);
                  hold.releaseWithout(socket.id(), () -> c.outcome().complete(STORAGE_UNAVAILABLE));
                }
              });
      registering = true;
    } finally {
      if (!registering) {
        hold.release(() -> {});
      }
    }
  }

  /**
   * Not the room's fault: its instance stays (unless the lease was lost), the client may retry. Off
   * the mailbox (where the write's failure arrives): the room hears of it in its mailbox.
   */
  private static void registrationFailed(
      ActiveInstance instance, OwnedSocket socket, Throwable error) {
    String what = "register connection " + socket.id();
    if (!instance.recordWriteFailed(what, error)) {
      instance.post(() -> instance.registrationFailed(socket, STORAGE_UNAVAILABLE.body()));
    }
  }

  private void incoming(ActiveInstance instance, RoomKey key, RoomEvent.Incoming m)
      throws Exception {
    metrics.messageIn();
    OwnedSocket socket = instance.socket(m.connectionId());
    try {
      if (socket == null) {
        // The room has no record of this socket (Redis lost it, or the reaper took it for one of a
        // dead gateway's): its messages would vanish and it would hear nothing, so it is told to
        // connect again.
        log.warn(
            "{}: message from connection {} the room does not know; closing it",
            key,
            m.connectionId());
        m.refuse(Refusal.UNKNOWN_CONNECTION, sink);
      } else if (socket.isOpen()) {
        instance.room().onMessage(socket, m.message());
      }
    } finally {
      m.handled().complete(null);
    }
  }

  /**
   * The room's answer, now or later (it composes on calls): 504 if it is not there within
   * eventTimeout, 500 if it fails or is null. Only a handler that throws resets the instance.
   */
  private void request(ActiveInstance instance, RoomEvent.Request r) throws Exception {
    metrics.requestIn();
    CompletableFuture<RoomResponse> answer =
        Objects.requireNonNull(
                instance.room().onRequestAsync(r.request()), "onRequestAsync returned null")
            .toCompletableFuture();
    if (!answer.isDone()) {
      OwnerClock.Timer timeout =
          clock.schedule(
              instance.settings().eventTimeout().toMillis(),
              () -> {
                metrics.error("timeout");
                r.response()
                    .complete(
                        RoomResponse.text(
                            HttpStatus.GATEWAY_TIMEOUT, "Room timed out answering the request"));
              });
      answer.whenComplete((response, error) -> timeout.cancel());
    }
    answer.whenComplete(
        (response, error) -> {
          if (error == null && response != null) {
            r.response().complete(response);
          } else {
            log.error("room {} failed answering a request", instance.key(), error);
            metrics.error("handler");
            r.response()
                .complete(
                    RoomResponse.text(
                        HttpStatus.INTERNAL_SERVER_ERROR, "Room failed handling the request"));
          }
        });
  }

  /** Done once the connection's record is removed, or its removal failed. */
  private void close(ActiveInstance instance, Lease lease, RoomKey key, RoomEvent.Close c) {
    if (instance == null) {
      try {
        stores.registry().remove(lease, c.connectionId());
        stores.autoResponseTimes().forget(key, c.connectionId());
      } finally {
        c.done().complete(null);
      }
      return;
    }
    OwnedSocket socket = instance.socket(c.connectionId());
    try {
      if (socket != null && !c.roomInitiated()) {
        socket.markPeerClosing();
        instance.room().onClose(socket, c.code(), c.reason(), c.wasClean());
      }
    } finally {
      instance.remove(c.connectionId(), () -> c.done().complete(null));
    }
  }
}
