package dev.dormouse.operator.reconcile;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Kubernetes Events about a room, as {@code kubectl describe wsroom} shows them. */
public final class RoomEvents {

  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  static final String COMPONENT = "dormouse-operator";

  private static final Logger LOG = LoggerFactory.getLogger(RoomEvents.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final String instance;

  public RoomEvents(KubernetesClient client, Clock clock, String instance) {
    this.client = client;
    this.clock = clock;
    this.instance = instance;
  }

  public void normal(WebSocketRoom room, String reason, String message) {
    record(room, NORMAL, reason, message);
  }

  public void warning(WebSocketRoom room, String reason, String message) {
    record(room, WARNING, reason, message);
  }

  /** An Event that cannot be written is logged, never a reason to fail the reconcile. */
  private void record(WebSocketRoom room, String type, String reason, String message) {
    String now = RoomStatusBuilder.format(Instant.now(clock));
    var metadata = room.getMetadata();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withName(metadata.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
            .withNamespace(metadata.getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(room.getApiVersion())
            .withKind(room.getKind())
            .withName(metadata.getName())
            .withNamespace(metadata.getNamespace())
            .withUid(metadata.getUid())
            .withResourceVersion(metadata.getResourceVersion())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(instance)
            .build();
    try {
      client.v1().events().inNamespace(metadata.getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "Cannot record {} event {} for {}/{}: {}",
          type,
          reason,
          metadata.getNamespace(),
          metadata.getName(),
          e.getMessage());
    }
    if (WARNING.equals(type)) {
      LOG.warn("{}/{}: {}: {}", metadata.getNamespace(), metadata.getName(), reason, message);
    } else {
      LOG.info("{}/{}: {}: {}", metadata.getNamespace(), metadata.getName(), reason, message);
    }
  }
}
