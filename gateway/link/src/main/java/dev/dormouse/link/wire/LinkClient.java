package dev.dormouse.link.wire;

import dev.dormouse.link.ClientSink;
import dev.dormouse.link.RoomEvent;
import dev.dormouse.link.RoomEventSink;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's link to one owner: sends it room events and applies its answers and commands to the
 * gateway's own clients. Connects on {@link #start()} and reconnects until closed ({@link LinkRetry}).
 * While not ready, {@link #offer} refuses events and the caller keeps them; when a ready link is lost,
 * every event still waiting for an answer is refused ({@link dev.dormouse.link.Refusal#LINK_LOST}) and
 * the unhandled messages are handed to the {@link Listener}.
 */
public final class LinkClient implements RoomEventSink, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LinkClient.class);
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  /** Hears of the link's state, on its event loop: must not block. */
  public interface Listener {

    /** The link is up and authenticated: {@link #offer} takes events from now on. */
    void ready(String ownerId);

    /**
     * The link is gone. {@code unhandled}: the messages sent on it that the owner had not reported
     * handled, in the order they were sent, with their futures still open; their senders should be closed
     * (refused with {@link dev.dormouse.link.Refusal#OWNER_LOST}), since the messages may or may not have
     * reached their room.
     */
    void lost(List<RoomEvent.Incoming> unhandled);

    /**
     * The owner is draining: send it nothing new and fence what went to it. Runs before the link
     * reports the owner released, so whatever this sends on the link (fences) goes first.
     */
    void draining(String ownerId);

    /**
     * The owner cannot take events for now (cut off from Redis): route its keys to other owners while
     * there are any, and fence what went to it. Runs on the link's loop, like {@link #draining}.
     */
    void paused(String ownerId);

    /** The owner that paused takes events again: it counts in the ring again. */
    void serving(String ownerId);
  }

  private final String gatewayId;
  private final InetSocketAddress owner;
  private final LinkHandshake handshake;
  private final ClientSink local;
  private final Listener listener;

  /** All of this link's connections live on this one loop, so its state needs no locks. */
  private final EventLoop loop;

  private final AtomicLong ids = new AtomicLong();
  private volatile OwnerSession ready;
  private volatile String ownerId;
  private volatile boolean closed;

  /** Since the owner's DRAINING, until a new WELCOME: an owner that exited stays out until it is back. */
  private volatile boolean draining;

  /** Since the owner's PAUSED, until its SERVING or a new WELCOME. */
  private volatile boolean paused;

  /** System.nanoTime when the link last stopped being ready (or was created, if never ready). */
  private volatile long notReadySinceNanos = System.nanoTime();

  /** Only touched on the loop. */
  private OwnerSession session;

  private Channel channel;
  private ScheduledFuture<?> retry;

  private final LinkRetry retries =
      new LinkRetry(
          System::nanoTime,
          // Between half the ceiling and all of it.
          ceiling -> ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));

  /**
   * @param local the gateway's clients: SEND, CLIENT_CLOSE, AUTO and REDIRECT frames are applied to it
   * @param group the process's NIO event loop group, not owned by the link
   */
  public LinkClient(
      String gatewayId,
      InetSocketAddress owner,
      byte[] secret,
      ClientSink local,
      EventLoopGroup group,
      Listener listener) {
    this.gatewayId = gatewayId;
    this.owner = owner;
    this.handshake = new LinkHandshake(secret);
    this.local = local;
    this.listener = listener;
    this.loop = group.next();
  }

  /** Starts connecting; returns at once. */
  public void start() {
    loop.execute(this::connect);
  }

  public boolean isReady() {
    return ready != null;
  }

  /** The owner said it is draining (on this link's current or last session). */
  public boolean isDraining() {
    return draining;
  }

  /** When (System.nanoTime) the link stopped being ready; meaningless while it is ready. */
  public long notReadySinceNanos() {
    return notReadySinceNanos;
  }

  /** The owner said PAUSED (on this link's current session) and not SERVING since. */
  public boolean isPaused() {
    return paused;
  }

  /** The owner's id as it gave it in its last WELCOME; null before the first. */
  public String ownerId() {
    return ownerId;
  }

  public InetSocketAddress ownerAddress() {
    return owner;
  }

  /**
   * Sends an event to the owner; never blocks. Its futures complete with the owner's answer, or when
   * the link is lost as described above.
   *
   * @return false when the link is not ready: the event was not sent and the caller keeps it
   */
  @Override
  public boolean offer(RoomEvent event) {
    OwnerSession current = ready;
    return current != null && current.send(event);
  }

  private void connect() {
    if (closed) {
      return;
    }
    OwnerSession next = new OwnerSession(this, gatewayId, handshake, local, ids);
    session = next;
    channel =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    LinkPipeline.init(ch, next);
                  }
                })
            .connect(owner)
            .addListener(
                connected -> {
                  if (!connected.isSuccess()) {
                    logRetry("cannot connect to owner " + owner + ": " + connected.cause());
                  }
                })
            .channel();
    // A failed connect closes the channel too, so this is the one place that retries.
    channel.closeFuture().addListener(closedChannel -> retryLater());
  }

  private void retryLater() {
    if (closed) {
      return;
    }
    retry = loop.schedule(this::connect, retries.nextDelayMillis(), TimeUnit.MILLISECONDS);
  }

  private void logRetry(String what) {
    if (retries.firstFailure() && ownerId != null) {
      log.warn("{}; retrying", what);
    } else if (retries.firstFailure()) {
      // Most likely a starting owner, linked to before it listens.
      log.info("{}; retrying while it starts", what);
    } else {
      log.debug("{} (retrying)", what);
    }
  }

  /** From the session, on the loop. */
  void ready(OwnerSession readySession, String readyOwnerId) {
    retries.linked();
    ownerId = readyOwnerId;
    draining = false;
    paused = false;
    ready = readySession;
    log.info("gateway {} linked to owner {} at {}", gatewayId, readyOwnerId, owner);
    listener.ready(readyOwnerId);
  }

  /** From the session, on the loop, once per ready session. */
  void lost(OwnerSession lostSession, List<RoomEvent.Incoming> unhandled) {
    if (ready == lostSession) {
      // Before ready turns null: whoever sees the link not ready sees since when.
      notReadySinceNanos = System.nanoTime();
      ready = null;
    }
    if (closed) {
      log.info(
          "link to owner {} at {} closed; {} messages unanswered",
          ownerId,
          owner,
          unhandled.size());
    } else {
      log.warn(
          "link to owner {} at {} lost; {} messages unanswered", ownerId, owner, unhandled.size());
    }
    listener.lost(unhandled);
  }

  /** From the session, on the loop: the owner sent DRAINING. */
  void draining(OwnerSession session) {
    if (ready == session) {
      draining = true;
      log.info("owner {} at {} is draining: routing elsewhere", ownerId, owner);
      listener.draining(ownerId);
    }
  }

  /** From the session, on the loop: the owner sent PAUSED. */
  void paused(OwnerSession session) {
    if (ready == session) {
      paused = true;
      log.info("owner {} at {} paused (cut off from Redis): routing elsewhere", ownerId, owner);
      listener.paused(ownerId);
    }
  }

  /** From the session, on the loop: the owner sent SERVING after PAUSED. */
  void serving(OwnerSession session) {
    if (ready == session && paused) {
      paused = false;
      log.info("owner {} at {} serves again: routing to it", ownerId, owner);
      listener.serving(ownerId);
    }
  }

  /**
   * Stops reconnecting and closes the link; pending events are answered as on a loss before this
   * returns (unless called on the link's own event loop, where it cannot wait).
   */
  @Override
  public void close() {
    closed = true;
    Future<?> done =
        loop.submit(
            () -> {
              if (retry != null) {
                retry.cancel(false);
              }
              if (session != null) {
                session.lose();
                channel.close();
              }
            });
    if (!loop.inEventLoop()) {
      done.awaitUninterruptibly(CONNECT_TIMEOUT_MILLIS);
    }
  }
}
