package dev.dormouse.operator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.operator.admin.AdminApi;
import dev.dormouse.operator.pods.OwnerPodFactory;
import dev.dormouse.operator.pods.OwnerPodSettings;
import dev.dormouse.operator.pods.OwnerPods;
import dev.dormouse.operator.reconcile.OwnerMetrics;
import dev.dormouse.operator.reconcile.OwnerScaler;
import dev.dormouse.operator.reconcile.RoomEvents;
import dev.dormouse.operator.reconcile.RoomStatusBuilder;
import dev.dormouse.operator.reconcile.RoomUpdateFilter;
import dev.dormouse.operator.reconcile.WebSocketRoomReconciler;
import dev.dormouse.operator.redis.ActivityReader;
import dev.dormouse.operator.redis.RedisConnection;
import dev.dormouse.operator.redis.RoomKeyCleaner;
import dev.dormouse.operator.scaling.ScalingPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.event.rate.LinearRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the operator: every object is built here and handed to the ones that use it. */
public final class OperatorMain {

  public static final String LEASE_NAME = "dormouse-operator";

  private static final Logger LOG = LoggerFactory.getLogger(OperatorMain.class);
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

  /** At most this many reconciles of one room per second, whatever storm of pod events arrives. */
  private static final int RECONCILES_PER_ROOM_PER_SECOND = 5;

  private OperatorMain() {}

  public static void main(String[] args) throws Exception {
    if (OperatorConfig.asksForHelp(args)) {
      System.out.print(OperatorConfig.usage());
      return;
    }
    OperatorConfig config;
    try {
      config = OperatorConfig.load(args, System.getenv());
    } catch (IllegalArgumentException e) {
      // A mistake in how it was started, as the data plane's roles report theirs: one line, 2.
      System.err.println("dormouse-operator: " + e.getMessage());
      System.exit(2);
      return;
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    KubernetesClient client = new KubernetesClientBuilder().build();
    RedisConnection redis = RedisConnection.connect(config.redisUrl(), REDIS_TIMEOUT);
    Operator operator = operator(config, client, redis, registry, Clock.systemUTC(), true);
    HealthServer health =
        new HealthServer(
            config.healthPort(),
            () ->
                operator.getRuntimeInfo().isStarted()
                    && operator.getRuntimeInfo().allEventSourcesAreHealthy(),
            registry,
            AdminApi.of(config, client));
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  operator.stop();
                  health.close();
                  redis.close();
                },
                "shutdown"));
    health.start();
    operator.start();
    LOG.info(
        "Dormouse operator started; health and metrics on :{}; {}",
        health.port(),
        config.adminToken().isPresent()
            ? "summary of all rooms at http://HOST:" + health.port() + "/"
            : "admin page off: set " + OperatorConfig.ADMIN_TOKEN + " to turn it on");
  }

  /**
   * The operator as it runs in production; tests call this with their own client, Redis and clock so
   * they exercise the same configuration.
   */
  public static Operator operator(
      OperatorConfig config,
      KubernetesClient client,
      RedisConnection redis,
      MeterRegistry registry,
      Clock clock,
      boolean closeClientOnStop) {
    // Owners may add fields to their reports before the operator knows them.
    ObjectMapper json =
        new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    OwnerPodFactory podFactory =
        new OwnerPodFactory(
            new OwnerPodSettings(
                config.ownerImage(),
                config.redisUrl(),
                config.redisSecretName(),
                config.linkSecretName()),
            json);
    OwnerPods ownerPods = new OwnerPods(client, podFactory);
    ScalingPolicy policy = new ScalingPolicy(clock);
    WebSocketRoomReconciler reconciler =
        new WebSocketRoomReconciler(
            ownerPods,
            new OwnerScaler(ownerPods, podFactory, policy),
            policy,
            new ActivityReader(redis, json, clock),
            new RoomKeyCleaner(redis),
            new RoomStatusBuilder(clock),
            new RoomEvents(client, clock, hostName()),
            new OwnerMetrics(registry));

    Operator operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(closeClientOnStop)
                  // The API servers this runs against, a test's included, need not speak
                  // server-side apply.
                  .withUseSSAToPatchPrimaryResource(false)
                  .withSSABasedCreateUpdateMatchForDependentResources(false)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (config.leaderElection()) {
                o.withLeaderElectionConfiguration(
                    config.leaseNamespace().isEmpty()
                        ? new LeaderElectionConfiguration(LEASE_NAME)
                        : new LeaderElectionConfiguration(LEASE_NAME, config.leaseNamespace()));
              }
            });
    operator.register(
        reconciler,
        c -> {
          c.withName(WebSocketRoomReconciler.NAME)
              // Generation-aware filtering, widened to the wake annotation by the filter.
              .withGenerationAware(false)
              .withOnUpdateFilter(new RoomUpdateFilter())
              .withReconciliationMaxInterval(config.reconcileInterval())
              .withRateLimiter(
                  new LinearRateLimiter(Duration.ofSeconds(1), RECONCILES_PER_ROOM_PER_SECOND));
          if (config.watchNamespaces().isEmpty()) {
            c.watchingAllNamespaces();
          } else {
            c.settingNamespaces(config.watchNamespaces());
          }
        });
    return operator;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "dormouse-operator";
    }
  }
}
