package dev.dormouse.admin;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** The meters of one Dormouse process, exposed in Prometheus format on the admin port. */
public final class Metrics {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter evictions =
      Counter.builder("dormouse_evictions")
          .description("Instances evicted from memory")
          .register(registry);
  private final Counter revivals =
      Counter.builder("dormouse_revivals")
          .description("Instances re-created from Redis")
          .register(registry);
  private final Timer revivalLatency =
      Timer.builder("dormouse_revival")
          .description("Time to re-create an instance")
          .publishPercentiles(0.5, 0.99)
          .register(registry);
  private final Counter messagesIn =
      Counter.builder("dormouse_messages_in")
          .description("Client messages received")
          .register(registry);
  private final Counter messagesOut =
      Counter.builder("dormouse_messages_out")
          .description("Messages sent to clients")
          .register(registry);
  private final Counter redirects =
      Counter.builder("dormouse_redirects")
          .description("Events handed back to gateways because another owner holds the room")
          .register(registry);
  private final Counter autoResponses =
      Counter.builder("dormouse_auto_responses")
          .description("Messages answered by the gateway without waking the room")
          .register(registry);
  private final Counter readsSuspended =
      Counter.builder("dormouse_gateway_reads_suspended")
          .description(
              "Times a client's reads were paused because its room had not yet handled a window of its messages")
          .register(registry);

  // HTTP into rooms and calls between rooms (issue 13, HTTP part).
  private final Counter requestsIn =
      Counter.builder("dormouse_requests_in")
          .description("HTTP requests and calls handled by rooms' onRequest")
          .register(registry);
  private final Counter callsOut =
      Counter.builder("dormouse_calls_out")
          .description("Calls rooms made to other rooms")
          .register(registry);

  public void requestIn() {
    requestsIn.increment();
  }

  public double requestsIn() {
    return requestsIn.count();
  }

  public void callOut() {
    callsOut.increment();
  }

  private final Counter alarmsRaised =
      Counter.builder("dormouse_alarms_raised")
          .description("Alarm attempts handed to onAlarm, retries included")
          .register(registry);
  private final Counter alarmsRetried =
      Counter.builder("dormouse_alarms_retried")
          .description("Alarms whose onAlarm failed, scheduled again with backoff")
          .register(registry);
  private final Counter alarmsDropped =
      Counter.builder("dormouse_alarms_dropped")
          .description("Alarms whose onAlarm failed on the last retry, given up")
          .register(registry);
  private final Timer alarmLateness =
      Timer.builder("dormouse_alarm_lateness")
          .description("How long after it was due an alarm attempt reached onAlarm")
          .publishPercentiles(0.5, 0.99)
          .register(registry);
  private final Counter gatewayAlarmsRaised =
      Counter.builder("dormouse_gateway_alarms_raised")
          .description("Due alarms a gateway claimed in the index and routed to their owners")
          .register(registry);

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  public void evicted() {
    evictions.increment();
  }

  public void revived(Duration took) {
    revivals.increment();
    revivalLatency.record(took);
  }

  public void messageIn() {
    messagesIn.increment();
  }

  public void messagesOut(int count) {
    messagesOut.increment(count);
  }

  public void redirected() {
    redirects.increment();
  }

  public double redirects() {
    return redirects.count();
  }

  public void readsSuspended() {
    readsSuspended.increment();
  }

  public double readsSuspensions() {
    return readsSuspended.count();
  }

  public void autoResponse() {
    autoResponses.increment();
  }

  public void alarmRaised(Duration late) {
    alarmsRaised.increment();
    alarmLateness.record(late.isNegative() ? Duration.ZERO : late);
  }

  public void alarmRetried() {
    alarmsRetried.increment();
  }

  public void alarmDropped() {
    alarmsDropped.increment();
  }

  public void gatewayAlarmRaised() {
    gatewayAlarmsRaised.increment();
  }

  public double alarmsRaised() {
    return alarmsRaised.count();
  }

  public double alarmsRetried() {
    return alarmsRetried.count();
  }

  public double alarmsDropped() {
    return alarmsDropped.count();
  }

  /**
   * Shows {@code dormouse_errors_total} of a kind at 0 before the first such error, for an error a
   * dashboard watches (it would show no data until then).
   */
  public void countErrors(String kind) {
    registry.counter("dormouse_errors", "kind", kind);
  }

  /** An error by kind: handler, timeout, activation, protocol, overload, storage, slow-consumer, rate-limit. */
  public void error(String kind) {
    registry.counter("dormouse_errors", "kind", kind).increment();
  }

  public double evictions() {
    return evictions.count();
  }

  public double revivals() {
    return revivals.count();
  }

  public double autoResponses() {
    return autoResponses.count();
  }

  public double errors(String kind) {
    return registry.counter("dormouse_errors", "kind", kind).count();
  }

  public String scrape() {
    return registry.scrape();
  }
}
