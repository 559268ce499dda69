package dev.dormouse.operator.admin;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocketRooms of the namespaces the operator serves, in memory: informers of their own, so
 * the summary answers without a call to the API server and on every replica, the leader's status
 * writes arriving as watch events.
 */
final class WatchedRooms implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WatchedRooms.class);

  private final List<SharedIndexInformer<WebSocketRoom>> informers;

  private WatchedRooms(List<SharedIndexInformer<WebSocketRoom>> informers) {
    this.informers = informers;
  }

  /** Starts watching without waiting for the first list; {@code namespaces} empty: all of them. */
  static WatchedRooms start(KubernetesClient client, Set<String> namespaces) {
    var rooms = client.resources(WebSocketRoom.class);
    List<SharedIndexInformer<WebSocketRoom>> informers =
        namespaces.isEmpty()
            ? List.of(rooms.inAnyNamespace().runnableInformer(0))
            : namespaces.stream()
                .sorted()
                .map(namespace -> rooms.inNamespace(namespace).runnableInformer(0))
                .toList();
    for (SharedIndexInformer<WebSocketRoom> informer : informers) {
      // fabric8 gives up on an informer whose first list fails; an API server that does not answer
      // at start is waited out here, as it is later on, and the summary answers 503 meanwhile.
      informer.exceptionHandler(
          (started, error) -> {
            if (!started) {
              log.warn("the admin summary cannot list WebSocketRooms yet: {}", error.toString());
            }
            return true;
          });
      informer.start();
    }
    return new WatchedRooms(informers);
  }

  /** Every room, once each informer has listed its namespaces; empty before. */
  Optional<List<WebSocketRoom>> rooms() {
    if (!informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
      return Optional.empty();
    }
    return Optional.of(
        informers.stream().flatMap(informer -> informer.getStore().list().stream()).toList());
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
