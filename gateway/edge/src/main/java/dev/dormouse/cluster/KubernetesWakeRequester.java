package dev.dormouse.cluster;

import dev.dormouse.contract.Annotations;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes a room by stamping {@link Annotations#WAKE_REQUESTED} with the current time on its
 * WebSocketRoom; the operator reacts to the changed annotation by scheduling an owner. A gateway
 * calls this for every event it buffers, so one patch per room is sent while a request is in flight
 * and then at most once per {@code repeatAfter}: often enough to renew the request if the operator
 * missed it, rarely enough not to load the API server. A failed patch is logged and sent again on the
 * next call.
 */
public final class KubernetesWakeRequester implements WakeRequester, AutoCloseable {

  /** While events wait, the request is renewed this often, so the operator never counts a room still waking as idle. */
  public static final Duration DEFAULT_REPEAT_AFTER = Duration.ofSeconds(2);

  private static final long FAILURE_BACKOFF_MILLIS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWakeRequester.class);

  private final KubernetesClient client;
  private final long repeatAfterMillis;
  private final Map<String, Request> requests = new ConcurrentHashMap<>();

  /** One thread: patches are rare and small, and the callers must never wait for the API server. */
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "dormouse-wake-requester");
            thread.setDaemon(true);
            return thread;
          });

  /** The last request sent for a room. */
  private record Request(long sentAt, boolean inFlight) {}

  public KubernetesWakeRequester(KubernetesClient client, Duration repeatAfter) {
    this.client = client;
    this.repeatAfterMillis = repeatAfter.toMillis();
  }

  @Override
  public void requestWake(String namespace, String room) {
    long now = System.currentTimeMillis();
    Request sending = new Request(now, true);
    Request current =
        requests.compute(
            namespace + "/" + room,
            (path, last) ->
                last == null || !last.inFlight() && now - last.sentAt() >= repeatAfterMillis
                    ? sending
                    : last);
    if (current == sending) {
      sender.execute(() -> send(namespace, room, sending));
    }
  }

  private void send(String namespace, String room, Request sending) {
    String path = namespace + "/" + room;
    String stamp = Instant.ofEpochMilli(sending.sentAt()).toString();
    String patch =
        Serialization.asJson(
            Map.of("metadata", Map.of("annotations", Map.of(Annotations.WAKE_REQUESTED, stamp))));
    try {
      // Through resource(named) rather than withName: fabric8 would GET the room before patching
      // it.
      WebSocketRoom named = new WebSocketRoom();
      named.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(room).build());
      client
          .resources(WebSocketRoom.class)
          .inNamespace(namespace)
          .resource(named)
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      requests.replace(path, sending, new Request(sending.sentAt(), false));
      LOG.info(
          "asked the operator to wake room {} ({}={})", path, Annotations.WAKE_REQUESTED, stamp);
    } catch (RuntimeException e) {
      // Retried on a later event, but not at the pace events come: a room being deleted answers
      // 404s.
      long retryAt =
          System.currentTimeMillis() + Math.min(repeatAfterMillis, FAILURE_BACKOFF_MILLIS);
      requests.replace(path, sending, new Request(retryAt - repeatAfterMillis, false));
      LOG.warn(
          "could not ask the operator to wake room {} (will retry on a later event): {}",
          path,
          e.getMessage());
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
    try {
      sender.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
