package dev.dormouse.gateway;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.link.CloseCodes;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.link.Refusal;
import dev.dormouse.room.RoomKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One client socket held by this gateway. Sends may arrive before the handshake has finished (the
 * room may greet a socket from onConnect); they wait, in order, until the socket is there.
 */
final class ClientConnection {

  /** Who started the closing handshake; decides whether the room hears of the close. */
  enum Initiator {
    PEER,
    ROOM,
    GATEWAY
  }

  private final String id;
  private final RoomKey key;
  private final RoomSettings settings;
  private final Consumer<ClientConnection> onSlowConsumer;
  private final IntConsumer onCloseStarted;
  private final long outboundLimitBytes;
  private final long openedAtMillis = System.currentTimeMillis();
  private ClientSocket socket;
  private List<OutboundMessage> waiting = new ArrayList<>();
  private long waitingBytes;
  private boolean readsSuspended;
  private Initiator closeInitiator;
  private int closeCode = CloseCodes.ABNORMAL;
  private String closeReason = "";
  private boolean closeReported;

  ClientConnection(
      String id,
      RoomKey key,
      RoomSettings settings,
      long outboundLimitBytes,
      Consumer<ClientConnection> onSlowConsumer,
      IntConsumer onCloseStarted) {
    this.id = id;
    this.key = key;
    this.settings = settings;
    this.outboundLimitBytes = outboundLimitBytes;
    this.onSlowConsumer = onSlowConsumer;
    this.onCloseStarted = onCloseStarted;
  }

  String id() {
    return id;
  }

  RoomKey key() {
    return key;
  }

  RoomSettings settings() {
    return settings;
  }

  long openedAtMillis() {
    return openedAtMillis;
  }

  /** The handshake is done: flush what the room sent meanwhile, and a close it asked for. */
  void attach(ClientSocket ready) {
    synchronized (this) {
      socket = ready;
      for (OutboundMessage message : waiting) {
        write(socket, message);
      }
      waiting = null;
      if (readsSuspended) {
        socket.suspendReads();
      }
      if (closeInitiator != null) {
        writeClose(closeCode, closeReason);
      }
    }
  }

  void send(OutboundMessage message) {
    ClientSocket ready;
    synchronized (this) {
      if (closeInitiator != null) {
        return;
      }
      ready = socket;
      if (ready == null) {
        waitingBytes += message.size();
        if (waitingBytes <= outboundLimitBytes) {
          waiting.add(message);
          return;
        }
        // Bounded like the socket's queue, so a handshake that stalls cannot hold what its room
        // sends without end.
        waiting.clear();
      }
    }
    if (ready == null) {
      onSlowConsumer.accept(this);
    } else {
      write(ready, message);
    }
  }

  /** Answers a ping; its bytes count toward the outbound limit like any frame's. */
  void pong(byte[] payload) {
    ClientSocket ready;
    synchronized (this) {
      if (closeInitiator != null || socket == null) {
        return;
      }
      ready = socket;
    }
    if (!ready.send(ServerFrames.PONG, ByteBuffer.wrap(payload))) {
      onSlowConsumer.accept(this);
    }
  }

  private void write(ClientSocket ready, OutboundMessage message) {
    if (!ready.send(message.text() ? ServerFrames.TEXT : ServerFrames.BINARY, message.view())) {
      onSlowConsumer.accept(this);
    }
  }

  /**
   * Stops reading this client's frames, so TCP pushes back on it (its room cannot keep up);
   * safe from any thread, also before the handshake has finished.
   */
  synchronized void suspendReads() {
    readsSuspended = true;
    if (socket != null) {
      socket.suspendReads();
    }
  }

  /** Reads again, in order, what the client sent meanwhile. */
  synchronized void resumeReads() {
    readsSuspended = false;
    if (socket != null) {
      socket.resumeReads();
    }
  }

  /**
   * Starts or answers the closing handshake, once.
   *
   * @return false when a close frame was already sent
   */
  boolean close(Initiator initiator, int code, String reason) {
    return startClose(initiator, code, reason, false);
  }

  /** Closes with the refusal's close code and reason. */
  boolean close(Initiator initiator, Refusal refusal) {
    return close(initiator, refusal.closeCode(), refusal.reason());
  }

  /**
   * Closes a client too slow to read what waits for it with 1008 (policy violation): its close frame
   * goes ahead of that, which is dropped.
   */
  void closeTooSlow(String reason) {
    startClose(Initiator.GATEWAY, CloseCodes.POLICY_VIOLATION, reason, true);
  }

  private synchronized boolean startClose(
      Initiator initiator, int code, String reason, boolean aheadOfQueued) {
    if (closeInitiator != null) {
      return false;
    }
    closeInitiator = initiator;
    closeCode = code;
    closeReason = reason;
    if (initiator != Initiator.PEER) {
      // The answer to a client's own close echoes its code: not a close this side chose.
      onCloseStarted.accept(code);
    }
    if (socket != null && aheadOfQueued) {
      socket.closeAhead(ServerFrames.close(code, reason));
    } else if (socket != null) {
      writeClose(code, reason);
    }
    return true;
  }

  /**
   * Drops the TCP connection without waiting for a closing handshake; its end is reported as usual.
   *
   * @return false when there is no socket yet (the room has not decided on it)
   */
  synchronized boolean abort() {
    if (socket == null) {
      return false;
    }
    socket.abort();
    return true;
  }

  private void writeClose(int code, String reason) {
    // Codes that must not appear on the wire: answered with a close frame without a code.
    if (code == CloseCodes.NO_STATUS
        || code == CloseCodes.ABNORMAL
        || code == CloseCodes.TLS_FAILURE) {
      socket.close(ServerFrames.emptyClose());
    } else {
      socket.close(ServerFrames.close(code, reason));
    }
  }

  synchronized Initiator closeInitiator() {
    return closeInitiator;
  }

  synchronized int closeCode() {
    return closeCode;
  }

  synchronized String closeReason() {
    return closeReason;
  }

  /** True the first time only: each connection's end is reported to its room exactly once. */
  synchronized boolean markCloseReported() {
    if (closeReported) {
      return false;
    }
    closeReported = true;
    return true;
  }
}
