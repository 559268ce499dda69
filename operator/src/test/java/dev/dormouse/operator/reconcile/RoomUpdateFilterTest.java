package dev.dormouse.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.contract.Annotations;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomUpdateFilterTest {

  private final RoomUpdateFilter filter = new RoomUpdateFilter();

  private static WebSocketRoom room(
      long generation, Map<String, String> annotations, List<String> finalizers) {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(
        new ObjectMetaBuilder()
            .withName("r")
            .withGeneration(generation)
            .withAnnotations(annotations)
            .withFinalizers(finalizers)
            .build());
    return room;
  }

  @Test
  void statusOnlyUpdatesAreIgnored() {
    assertThat(filter.accept(room(1, Map.of(), List.of("f")), room(1, Map.of(), List.of("f"))))
        .isFalse();
  }

  @Test
  void specWakeFinalizerAndDeletionChangesAreReconciled() {
    WebSocketRoom base = room(1, Map.of(), List.of());

    assertThat(filter.accept(room(2, Map.of(), List.of()), base)).isTrue();
    assertThat(
            filter.accept(
                room(1, Map.of(Annotations.WAKE_REQUESTED, "2026-01-01T00:00:00Z"), List.of()),
                base))
        .isTrue();
    assertThat(filter.accept(room(1, Map.of(), List.of("f")), base)).isTrue();
    WebSocketRoom deleting = room(1, Map.of(), List.of());
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(filter.accept(deleting, base)).isTrue();
  }
}
