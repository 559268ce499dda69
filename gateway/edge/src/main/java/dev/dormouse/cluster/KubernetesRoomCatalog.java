package dev.dormouse.cluster;

import dev.dormouse.config.RoomCatalog;
import dev.dormouse.config.RoomSettings;
import dev.dormouse.crd.v1alpha1.InvalidRoomException;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms declared as WebSocketRoom resources, followed by an informer: a room applied with
 * kubectl is served at once, a deleted one is gone. A version of a room that breaks the rules is not
 * applied: a new room stays unknown, an existing one keeps its last valid settings (the operator
 * reports the violation in the room's status), so a bad edit does not turn live clients away.
 */
public final class KubernetesRoomCatalog implements RoomCatalog, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KubernetesRoomCatalog.class);

  private final SharedIndexInformer<WebSocketRoom> informer;
  private final ResourceEventHandler<WebSocketRoom> handler;
  private final Map<String, RoomSettings> rooms = new ConcurrentHashMap<>();

  /** The generation last reported invalid, per room, so that status writes do not repeat the warning. */
  private final Map<String, Long> reportedInvalid = new ConcurrentHashMap<>();

  /** @param namespace the namespace whose rooms the gateway serves, or null or blank for all */
  public KubernetesRoomCatalog(KubernetesClient client, String namespace) {
    var resources = client.resources(WebSocketRoom.class);
    informer =
        (namespace == null || namespace.isBlank()
                ? resources.inAnyNamespace()
                : resources.inNamespace(namespace))
            .runnableInformer(0);
    handler =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(WebSocketRoom room) {
            apply(room);
          }

          @Override
          public void onUpdate(WebSocketRoom before, WebSocketRoom after) {
            apply(after);
          }

          @Override
          public void onDelete(WebSocketRoom room, boolean deletedFinalStateUnknown) {
            String path = path(room);
            rooms.remove(path);
            reportedInvalid.remove(path);
          }
        };
  }

  /**
   * Starts watching and returns once every room that exists is known (or fails after
   * {@code timeout}), so no existing room gets a 404.
   */
  public KubernetesRoomCatalog start(Duration timeout) {
    Informers.startAndSync(informer, handler, timeout, "WebSocketRoom resources");
    return this;
  }

  @Override
  public Optional<RoomSettings> find(String namespace, String name) {
    return Optional.ofNullable(rooms.get(namespace + "/" + name));
  }

  @Override
  public Collection<RoomSettings> all() {
    return List.copyOf(rooms.values());
  }

  @Override
  public void close() {
    informer.close();
  }

  private void apply(WebSocketRoom room) {
    String path = path(room);
    if (room.getMetadata().getDeletionTimestamp() != null) {
      // Being deleted (its finalizer is running): no new clients, and nothing of it to wake.
      rooms.remove(path);
      reportedInvalid.remove(path);
      return;
    }
    try {
      rooms.put(path, RoomSettings.of(room));
      reportedInvalid.remove(path);
    } catch (InvalidRoomException e) {
      long generation = Objects.requireNonNullElse(room.getMetadata().getGeneration(), 0L);
      Long reported = reportedInvalid.put(path, generation);
      if (reported == null || reported != generation) {
        LOG.warn(
            "room {} (generation {}) is invalid, {}: {}",
            path,
            generation,
            rooms.containsKey(path) ? "keeping its last valid settings" : "not serving it",
            e.getMessage());
      }
    }
  }

  private static String path(WebSocketRoom room) {
    return room.getMetadata().getNamespace() + "/" + room.getMetadata().getName();
  }
}
