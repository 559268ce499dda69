package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CatchingUpHandlerTest {

  private final List<String> handled = new CopyOnWriteArrayList<>();
  private final CatchingUpHandler<String> handler =
      new CatchingUpHandler<>(
          new ResourceEventHandler<>() {
            @Override
            public void onAdd(String object) {
              handled.add("add " + object);
            }

            @Override
            public void onUpdate(String before, String after) {
              handled.add("update " + after);
            }

            @Override
            public void onDelete(String object, boolean deletedFinalStateUnknown) {
              handled.add("delete " + object);
            }
          },
          object -> "ns/" + object);

  @Test
  void catchesUpOnceEveryKeyHasBeenHandledOnWhicheverThreadTheInformerUses() throws Exception {
    CompletableFuture<Boolean> caughtUp =
        CompletableFuture.supplyAsync(() -> await(List.of("ns/a", "ns/b"), 10_000));
    handler.onAdd("a");
    assertThat(caughtUp).isNotDone();
    handler.onUpdate("b", "b");

    assertThat(caughtUp.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(handled).containsExactly("add a", "update b");
  }

  @Test
  void doesNotCatchUpWhileAnObjectOfTheFirstListIsUnhandled() {
    handler.onAdd("a");
    long start = System.nanoTime();

    assertThat(await(List.of("ns/a", "ns/b"), 200)).isFalse();
    assertThat(System.nanoTime() - start)
        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
  }

  @Test
  void aHandlerThatThrowsStillCountsAsTold() {
    CatchingUpHandler<String> failing =
        new CatchingUpHandler<>(
            new ResourceEventHandler<>() {
              @Override
              public void onAdd(String object) {
                throw new IllegalStateException("bad object");
              }

              @Override
              public void onUpdate(String before, String after) {}

              @Override
              public void onDelete(String object, boolean deletedFinalStateUnknown) {}
            },
            object -> object);
    // The informer logs what a handler throws and carries on.
    assertThatThrownBy(() -> failing.onAdd("a")).hasMessage("bad object");

    assertThat(awaitOn(failing, List.of("a"), 0)).isTrue();
  }

  @Test
  void eventsAfterCatchingUpStillReachTheHandler() {
    handler.onAdd("a");
    assertThat(await(List.of("ns/a"), 0)).isTrue();

    handler.onDelete("a", false);
    assertThat(handled).containsExactly("add a", "delete a");
  }

  private boolean await(List<String> keys, long millis) {
    return awaitOn(handler, keys, millis);
  }

  private static boolean awaitOn(
      CatchingUpHandler<String> handler, List<String> keys, long millis) {
    try {
      return handler.awaitCaughtUp(keys, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
