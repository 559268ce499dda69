package dev.dormouse.gateway;

import dev.dormouse.admin.Metrics;
import dev.dormouse.link.CloseCodes;
import io.micrometer.core.instrument.Counter;
import java.util.List;

/**
 * {@code dormouse_gateway_closes_total{code}}: the closes this gateway starts or relays from a room,
 * by close code. The codes a dashboard watches are there at 0 from the start, so that a query on
 * them shows 0 rather than no data until the first close.
 */
final class GatewayCloses {

  static final List<Integer> WATCHED =
      List.of(
          CloseCodes.GOING_AWAY,
          CloseCodes.POLICY_VIOLATION,
          CloseCodes.MESSAGE_TOO_BIG,
          CloseCodes.INTERNAL_ERROR,
          CloseCodes.TRY_AGAIN_LATER);

  private final Metrics metrics;

  GatewayCloses(Metrics metrics) {
    this.metrics = metrics;
    WATCHED.forEach(this::counter);
  }

  void sent(int code) {
    counter(code).increment();
  }

  private Counter counter(int code) {
    return Counter.builder("dormouse_gateway_closes")
        .description("Closes this gateway started or relayed from a room, by close code")
        .tag("code", Integer.toString(code))
        .register(metrics.registry());
  }
}
