package dev.dormouse.link.wire;

import dev.dormouse.link.ClientSink;
import dev.dormouse.link.RoomEventSink;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The owner's end of the gateway–owner link: accepts gateways that prove the shared secret, offers
 * their events to the owner's room runtime, and gives the runtime a {@link ClientSink} that sends its
 * commands to the right gateway. Runs on the given NIO event loop group, which it does not own.
 */
public final class LinkServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LinkServer.class);
  private static final long CLOSE_GRACE_MILLIS = 2_000;

  private final String ownerId;
  private final InetSocketAddress bind;
  private final LinkHandshake handshake;
  private final RoomEventSink events;
  private final EventLoopGroup group;
  private final GatewaySessions sessions = new GatewaySessions();

  /** Every accepted connection, authenticated or not, so close() ends them all. */
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  private volatile Channel server;

  public LinkServer(
      String ownerId,
      InetSocketAddress bind,
      byte[] secret,
      RoomEventSink events,
      EventLoopGroup group) {
    this.ownerId = ownerId;
    this.bind = bind;
    this.handshake = new LinkHandshake(secret);
    this.events = events;
    this.group = group;
  }

  /** Binds the port; gateways may connect once this returns. */
  public void start() throws IOException {
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            // An owner restarted on the same port must not wait for the old connections' TIME_WAIT.
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channels.add(channel);
                    LinkPipeline.init(
                        channel, new GatewaySession(ownerId, handshake, events, sessions));
                  }
                })
            .bind(bind)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IOException("cannot listen for gateways on " + bind, bound.cause());
    }
    server = bound.channel();
    log.info("owner {} listening for gateways on {}", ownerId, address());
  }

  /** The bound address, with the real port when bound to port 0. */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** The owner's way to the clients held by the linked gateways. */
  public ClientSink clientSink() {
    return sessions;
  }

  /** Gateways linked now. */
  public int gatewayCount() {
    return sessions.size();
  }

  /** Peers turned away because they did not prove the secret or did not speak the link protocol. */
  public long refusedPeers() {
    return sessions.refusedCount();
  }

  /** Commands for gateways that were not linked (or events handed back that never came over a link). */
  public long droppedCommands() {
    return sessions.droppedCount();
  }

  /**
   * This owner is draining: every linked gateway (and every one that links later) is told to route its
   * events elsewhere, fence what it sent here, and answer once nothing it sent waits for an answer.
   */
  public void drain() {
    sessions.drain();
  }

  /**
   * This owner cannot take events for now (it cannot reach Redis): every linked gateway, and every one
   * that links meanwhile, is told PAUSED — it routes the owner's keys elsewhere while another owner can
   * take them — until {@link #resume()}.
   */
  public void pause() {
    sessions.pause();
  }

  /**
   * Ends a {@link #pause()}: every linked gateway is told SERVING and routes here again. Nothing once
   * {@link #drain()} was called: a drain is for good.
   */
  public void resume() {
    sessions.resume();
  }

  /** Every linked gateway has answered {@link #drain()}: none will send more and none waits for an answer. */
  public boolean released() {
    return sessions.allReleased();
  }

  /**
   * Stops accepting and closes every link; gateways see their link lost. What the rooms wrote last goes
   * out first, for a bounded time: a gateway that does not read is not waited for.
   */
  @Override
  public void close() {
    if (server != null) {
      server.close().awaitUninterruptibly();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_GRACE_MILLIS);
    List<ChannelFuture> closing =
        sessions.linked().stream().map(GatewaySession::closeWhenWritten).toList();
    for (ChannelFuture closed : closing) {
      closed.awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    channels.close().awaitUninterruptibly();
  }
}
