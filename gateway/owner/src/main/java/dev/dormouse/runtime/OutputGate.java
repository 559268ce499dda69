package dev.dormouse.runtime;

import dev.dormouse.link.ClientSink;
import dev.dormouse.link.OutboundMessage;
import dev.dormouse.room.AutoResponsePair;
import dev.dormouse.room.RoomKey;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An instance's output gate, as Cloudflare's: while a connection record the instance wrote is on its
 * way to Redis (written in the background, so the mailbox goes on to its next event), what the
 * instance sends — messages, closes, auto-response changes — waits, in order, and goes once every
 * record write made before it has landed. So no client hears of a join (nor a joiner of its welcome)
 * before Redis knows the joiner, and a connect's answer goes before what was held behind its write.
 * With no write in flight, outputs go straight through.
 *
 * <p>Threads: the instance's mailbox thread sends and holds; a write's completion, on a Redis I/O
 * thread, releases. The release runs right there rather than as a mailbox event: it would otherwise
 * wait behind every event queued meanwhile (a storm of connects), holding the gate shut for all of
 * them. That is safe because the sink never blocks and takes calls from any thread, and because only
 * one thread sends at a time: whoever finds outputs ready takes them under the lock and sends them
 * outside it while {@link #releasing} is set, and the mailbox thread sends straight through only when
 * nothing is queued and nobody is releasing, so nothing it sends after a release can overtake what
 * that release still has to send.
 */
final class OutputGate {

  private static final Logger log = LoggerFactory.getLogger(OutputGate.class);

  /** Something an instance sends. */
  sealed interface Output {
    void sendTo(ClientSink sink);

    /** This output without what goes to {@code connectionId}; null when nothing is left of it. */
    Output without(String connectionId);
  }

  record Send(String gatewayId, List<String> connectionIds, OutboundMessage message)
      implements Output {
    @Override
    public void sendTo(ClientSink sink) {
      sink.send(gatewayId, connectionIds, message);
    }

    @Override
    public Output without(String connectionId) {
      if (!connectionIds.contains(connectionId)) {
        return this;
      }
      List<String> rest = connectionIds.stream().filter(id -> !id.equals(connectionId)).toList();
      return rest.isEmpty() ? null : new Send(gatewayId, rest, message);
    }
  }

  record Close(String gatewayId, String connectionId, int code, String reason) implements Output {
    @Override
    public void sendTo(ClientSink sink) {
      sink.close(gatewayId, connectionId, code, reason);
    }

    @Override
    public Output without(String refused) {
      return connectionId.equals(refused) ? null : this;
    }
  }

  record AutoResponse(RoomKey key, AutoResponsePair pair) implements Output {
    @Override
    public void sendTo(ClientSink sink) {
      sink.autoResponse(key, pair);
    }

    @Override
    public Output without(String connectionId) {
      return this;
    }
  }

  /** A record write in flight: what is sent after {@link #hold} waits for its {@link #release}. */
  final class Hold {
    private boolean released; // these three guarded by the gate
    private Runnable first;
    private String dropped;

    /** The write landed (or none was made): first {@code first} runs, then what waited goes. */
    void release(Runnable first) {
      OutputGate.this.release(this, first, null);
    }

    /**
     * The registration of {@code connectionId} failed: {@code first} runs (its refusal), then what
     * waited goes, except what was to go to that connection.
     */
    void releaseWithout(String connectionId, Runnable first) {
      OutputGate.this.release(this, first, connectionId);
    }
  }

  private final ClientSink sink;
  private final RoomKey key;

  /** Holds and outputs, in the order they were made; guarded by this. */
  private final Deque<Object> queue = new ArrayDeque<>();

  /** Holds not yet released; guarded by this. */
  private int holding;

  /** A thread is sending what a release let go; guarded by this. */
  private boolean releasing;

  OutputGate(ClientSink sink, RoomKey key) {
    this.sink = sink;
    this.key = key;
  }

  /** From now until the hold is released, what is sent waits for it. Mailbox thread only. */
  synchronized Hold hold() {
    Hold hold = new Hold();
    queue.add(hold);
    holding++;
    return hold;
  }

  /** Sends now, or after the writes in flight. Mailbox thread only. */
  void send(Output output) {
    synchronized (this) {
      if (!queue.isEmpty() || releasing) {
        queue.add(output);
        return;
      }
    }
    // Nothing waits and nobody releases: only this thread queues, so nothing can slip in ahead.
    output.sendTo(sink);
  }

  /** Whether a record write is still in flight. */
  synchronized boolean holding() {
    return holding > 0;
  }

  private void release(Hold hold, Runnable first, String dropped) {
    synchronized (this) {
      if (hold.released) {
        throw new IllegalStateException("an output hold is released once");
      }
      hold.released = true;
      hold.first = first;
      hold.dropped = dropped;
      holding--;
      if (releasing) {
        return; // the releasing thread takes it up before it stops
      }
      releasing = true;
    }
    List<Runnable> ready = ready();
    while (ready != null) {
      ready.forEach(this::runQuietly);
      ready = ready();
    }
  }

  /**
   * Takes what may go now, from the head up to the first hold still in flight; null (and no longer
   * releasing) when nothing may.
   */
  private synchronized List<Runnable> ready() {
    List<Runnable> ready = new ArrayList<>();
    while (!queue.isEmpty()) {
      Object head = queue.peek();
      if (head instanceof Hold hold) {
        if (!hold.released) {
          break;
        }
        queue.poll();
        ready.add(hold.first);
        if (hold.dropped != null) {
          dropBehind(hold.dropped);
        }
      } else {
        queue.poll();
        ready.add(() -> ((Output) head).sendTo(sink));
      }
    }
    if (ready.isEmpty()) {
      releasing = false;
      return null;
    }
    return ready;
  }

  /** Called holding the lock: what waits for {@code connectionId} goes nowhere. */
  private void dropBehind(String connectionId) {
    List<Object> kept = new ArrayList<>(queue.size());
    for (Object next : queue) {
      Object left = next instanceof Output output ? output.without(connectionId) : next;
      if (left != null) {
        kept.add(left);
      }
    }
    queue.clear();
    queue.addAll(kept);
  }

  /**
   * Sent on a Redis I/O thread, a failure (a message too large for the link, say) reaches no room
   * code: it is logged, and the outputs after it still go.
   */
  private void runQuietly(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      log.error("room {}: an output held for a connection record write failed to go", key, e);
    }
  }
}
