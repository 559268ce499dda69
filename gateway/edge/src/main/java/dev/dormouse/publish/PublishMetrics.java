package dev.dormouse.publish;

import dev.dormouse.admin.Metrics;
import io.micrometer.core.instrument.Counter;

/** The publish API's meters, on the process's registry. */
final class PublishMetrics {

  private final Metrics metrics;
  private final Counter published;
  private final Counter deliveries;
  private final Counter dropped;

  PublishMetrics(Metrics metrics) {
    this.metrics = metrics;
    published =
        Counter.builder("dormouse_published_messages")
            .description("Messages accepted by this gateway's publish API")
            .register(metrics.registry());
    deliveries =
        Counter.builder("dormouse_publish_deliveries")
            .description("Published messages this gateway wrote to its client sockets")
            .register(metrics.registry());
    dropped =
        Counter.builder("dormouse_publish_dropped")
            .description(
                "Published messages for connections of this gateway that had closed when they came")
            .register(metrics.registry());
  }

  void published() {
    published.increment();
  }

  void delivered(int connections, int gone) {
    deliveries.increment(connections);
    dropped.increment(gone);
  }

  /** A request the API turned away, by status. */
  void refused(int status) {
    metrics
        .registry()
        .counter("dormouse_publish_refused", "status", Integer.toString(status))
        .increment();
  }

  double deliveries() {
    return deliveries.count();
  }

  double dropped() {
    return dropped.count();
  }
}
