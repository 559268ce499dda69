package dev.dormouse.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A container's readiness probe as the kubelet runs it against the pod's address: the HTTP GET of the
 * probe's path on its port (a number or the name of one of the container's ports), first at start,
 * then every {@code periodSeconds}; ready on a 2xx or 3xx answer.
 */
final class Readiness {

  /** The kubelet's default {@code periodSeconds} of a probe that names none. */
  private static final int DEFAULT_PERIOD_SECONDS = 10;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private final URI uri;
  private final Duration period;

  private Readiness(URI uri, Duration period) {
    this.uri = uri;
    this.period = period;
  }

  static Readiness of(Container container, String ip) {
    Probe probe = container.getReadinessProbe();
    if (probe == null || probe.getHttpGet() == null) {
      throw new IllegalStateException(
          "container " + container.getName() + " has no HTTP readiness probe");
    }
    HTTPGetAction get = probe.getHttpGet();
    URI uri = URI.create("http://" + ip + ":" + port(container, get.getPort()) + get.getPath());
    Integer period = probe.getPeriodSeconds();
    return new Readiness(uri, Duration.ofSeconds(period == null ? DEFAULT_PERIOD_SECONDS : period));
  }

  private static int port(Container container, IntOrString port) {
    if (port.getIntVal() != null) {
      return port.getIntVal();
    }
    return container.getPorts().stream()
        .filter(p -> port.getStrVal().equals(p.getName()))
        .map(ContainerPort::getContainerPort)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "probe port " + port.getStrVal() + " is not a port of " + container.getName()));
  }

  URI uri() {
    return uri;
  }

  /** True once the probe passed; false when the workload ended or {@code atMost} passed first. */
  boolean await(Workload workload, Duration atMost) throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < deadline && workload.isAlive()) {
      try {
        int status =
            HTTP.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
        if (status >= 200 && status < 400) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(period.toMillis());
    }
    return false;
  }
}
