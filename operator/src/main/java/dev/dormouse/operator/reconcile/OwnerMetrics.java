package dev.dormouse.operator.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Counts the owner pods the operator starts and drains, beside JOSDK's reconcile metrics. */
public final class OwnerMetrics {

  private final Counter created;
  private final Counter removed;
  private final Counter rolled;

  public OwnerMetrics(MeterRegistry registry) {
    this.created =
        Counter.builder("dormouse.operator.owner.pods.created")
            .description("Owner pods created")
            .register(registry);
    this.removed =
        Counter.builder("dormouse.operator.owner.pods.removed")
            .description("Owner pods deleted (drained)")
            .register(registry);
    this.rolled =
        Counter.builder("dormouse.operator.owner.pods.rolled")
            .description("Outdated owner pods replaced")
            .register(registry);
  }

  public void record(OwnerChanges changes) {
    created.increment(changes.created().size());
    removed.increment(changes.removed().size());
    if (changes.replaced()) {
      rolled.increment();
    }
  }
}
