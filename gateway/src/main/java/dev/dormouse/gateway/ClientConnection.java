package dev.dormouse.gateway;

import dev.dormouse.config.RoomSettings;
import dev.dormouse.contract.RoomKey;
import dev.dormouse.link.OutboundMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.xnio.IoUtils;

/**
 * One client socket held by this gateway. Sends may arrive before the handshake has finished (the
 * room may greet a socket from onConnect); they wait, in order, until the channel is there.
 */
final class ClientConnection {

  /** Who started the closing handshake; decides whether the room hears of the close. */
  enum Initiator { PEER, ROOM, GATEWAY }

  /** Close codes that must not appear on the wire: answered with a close frame without a code. */
  private static final int NO_STATUS = 1005;
  private static final int ABNORMAL = 1006;
  private static final int TLS_FAILURE = 1015;
  private static final int MAX_REASON_BYTES = 123;

  private final String id;
  private final RoomKey key;
  private final RoomSettings settings;
  private final long outboundLimitBytes;
  private final Consumer<ClientConnection> onSlowConsumer;
  private final AtomicLong queuedBytes = new AtomicLong();
  private WebSocketChannel channel;
  private List<OutboundMessage> waiting = new ArrayList<>();
  private Initiator closeInitiator;
  private int closeCode = ABNORMAL;
  private String closeReason = "";
  private boolean closeReported;

  ClientConnection(String id, RoomKey key, RoomSettings settings, long outboundLimitBytes,
      Consumer<ClientConnection> onSlowConsumer) {
    this.id = id;
    this.key = key;
    this.settings = settings;
    this.outboundLimitBytes = outboundLimitBytes;
    this.onSlowConsumer = onSlowConsumer;
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

  /** The handshake is done: flush what the room sent meanwhile, and a close it asked for. */
  void attach(WebSocketChannel ready) {
    List<OutboundMessage> flush;
    synchronized (this) {
      channel = ready;
      flush = waiting;
      waiting = null;
      for (OutboundMessage message : flush) {
        write(message);
      }
      if (closeInitiator != null) {
        writeClose(closeCode, closeReason);
      }
    }
  }

  void send(OutboundMessage message) {
    synchronized (this) {
      if (closeInitiator != null) {
        return;
      }
      if (channel == null) {
        waiting.add(message);
        return;
      }
    }
    write(message);
  }

  private void write(OutboundMessage message) {
    int size = message.size();
    if (queuedBytes.addAndGet(size) > outboundLimitBytes) {
      queuedBytes.addAndGet(-size);
      onSlowConsumer.accept(this);
      return;
    }
    WebSocketCallback<Void> done = new WebSocketCallback<>() {
      @Override
      public void complete(WebSocketChannel ch, Void context) {
        queuedBytes.addAndGet(-size);
      }

      @Override
      public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
        queuedBytes.addAndGet(-size);
      }
    };
    if (message.text()) {
      WebSockets.sendText(message.view(), channel, done);
    } else {
      WebSockets.sendBinary(message.view(), channel, done);
    }
  }

  /**
   * Starts or answers the closing handshake, once.
   *
   * @return false when a close frame was already sent
   */
  boolean close(Initiator initiator, int code, String reason) {
    synchronized (this) {
      if (closeInitiator != null) {
        return false;
      }
      closeInitiator = initiator;
      closeCode = code;
      closeReason = reason;
      if (channel != null) {
        writeClose(code, reason);
      }
      return true;
    }
  }

  /** Records a close frame that Undertow itself already sent. */
  synchronized void alreadyClosed(Initiator initiator, int code, String reason) {
    if (closeInitiator == null) {
      closeInitiator = initiator;
      closeCode = code;
      closeReason = reason;
    }
  }

  private void writeClose(int code, String reason) {
    if (code == NO_STATUS || code == ABNORMAL || code == TLS_FAILURE) {
      try {
        channel.sendClose();
      } catch (IOException e) {
        IoUtils.safeClose(channel);
      }
    } else {
      WebSockets.sendClose(code, truncate(reason), channel, null);
    }
  }

  private static String truncate(String reason) {
    byte[] bytes = reason.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_REASON_BYTES) {
      return reason;
    }
    String cut = new String(bytes, 0, MAX_REASON_BYTES, StandardCharsets.UTF_8);
    // A multi-byte character split at the cut decodes to U+FFFD, which is 3 bytes: drop it.
    return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
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

  synchronized boolean isOpen() {
    return channel != null && channel.isOpen() && closeInitiator == null;
  }
}
