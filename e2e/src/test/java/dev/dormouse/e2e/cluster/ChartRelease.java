package dev.dormouse.e2e.cluster;

import dev.dormouse.e2e.helm.Helm;
import dev.dormouse.e2e.helm.Rendered;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.List;

/**
 * The chart installed as {@code helm install} would, its gateway and operator Deployments run as
 * containers from the pod specs {@code helm template} renders: so that a wrong variable name, port or
 * probe path in the chart fails a scenario. The values set only what an operator of a cluster would
 * (the images under test, an external Redis, one watched namespace, gateway replicas, timings through
 * {@code extraEnv}); what a cluster itself provides is given here and nowhere else: the pod's address
 * and name ({@link ContainerPods}) and access to the API server, a kubeconfig pointing at the mock
 * mounted into the pod as the service-account admission would mount a token.
 */
final class ChartRelease {

  /** The images under test, {@code repository:tag}. */
  record Images(String gateway, String operator) {}

  /** One replica of a Deployment, started; ready once its probe ({@link #readiness}) passes. */
  record Replica(String pod, String ip, Container container, Workload workload) {
    Readiness readiness() {
      return Readiness.of(container, ip);
    }

    /** The port the container declares under {@code name}. */
    int port(String name) {
      return container.getPorts().stream()
          .filter(p -> name.equals(p.getName()))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException(pod + " declares no port " + name))
          .getContainerPort();
    }
  }

  static final String ROOM_SECRET = "e2e-room-secret";
  private static final String API_ACCESS = "e2e-api-access";
  private static final String API_ACCESS_DIR = "/var/run/secrets/e2e-api-access";

  private final KubernetesClient client;
  private final String namespace;
  private final Rendered rendered;
  private final ContainerPods pods;
  private final LoopbackAddresses addresses;
  private final PodEnv env;

  private ChartRelease(
      KubernetesClient client,
      String namespace,
      Rendered rendered,
      ContainerPods pods,
      LoopbackAddresses addresses) {
    this.client = client;
    this.namespace = namespace;
    this.rendered = rendered;
    this.pods = pods;
    this.addresses = addresses;
    this.env = new PodEnv(client, namespace);
  }

  /**
   * Renders the chart, creates its Secrets in the API server (as an install would), a room Secret
   * the gateways mount, and the kubeconfig the pods' API access comes from.
   */
  static ChartRelease install(
      KubernetesClient client,
      String namespace,
      Images images,
      String redisUrl,
      int gateways,
      int publishPort,
      String apiServer,
      ContainerPods pods,
      LoopbackAddresses addresses) {
    Rendered rendered =
        Helm.template(
            namespace,
            List.of(
                "image.repository=" + repository(images.gateway()),
                "image.tag=" + tag(images.gateway()),
                "operator.image.repository=" + repository(images.operator()),
                "operator.image.tag=" + tag(images.operator()),
                "redis.enabled=false",
                "redis.url=" + redisUrl,
                "watchNamespaces={" + namespace + "}",
                "gateway.replicas=" + gateways,
                "gateway.roomSecrets={" + ROOM_SECRET + "}",
                // A woken owner container may take longer than the default on a loaded machine.
                "gateway.extraEnv[0].name=DORMOUSE_WAKE_TIMEOUT",
                "gateway.extraEnv[0].value=60s",
                // The gateway's publish API listens even where the chart does not enable it, on
                // 8081 of the pod's address by default. The operator's health server binds 8081 of
                // every address, which in a pod is only its own, but on the host network all of
                // the gateways' too: one of them would fail to start.
                "gateway.extraEnv[1].name=DORMOUSE_PUBLISH_PORT",
                "gateway.extraEnv[1].value=" + publishPort,
                // The scenarios' rooms scale to zero within seconds; the default interval is
                // minutes.
                "operator.extraEnv[0].name=DORMOUSE_RECONCILE_INTERVAL",
                "operator.extraEnv[0].value=1s"));
    for (Secret secret : rendered.all(Secret.class)) {
      client.resource(secret).inNamespace(namespace).create();
    }
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(ROOM_SECRET)
                .endMetadata()
                .addToStringData("api-key", "e2e-room-secret-value")
                .build())
        .inNamespace(namespace)
        .create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(API_ACCESS)
                .endMetadata()
                .addToStringData("kubeconfig", kubeconfig(apiServer, namespace))
                .build())
        .inNamespace(namespace)
        .create();
    return new ChartRelease(client, namespace, rendered, pods, addresses);
  }

  private static String repository(String image) {
    return image.substring(0, image.lastIndexOf(':'));
  }

  private static String tag(String image) {
    return image.substring(image.lastIndexOf(':') + 1);
  }

  private static String kubeconfig(String server, String namespace) {
    return """
        apiVersion: v1
        kind: Config
        clusters:
          - name: mock
            cluster: {server: "%s"}
        users:
          - name: e2e
            user: {token: e2e}
        contexts:
          - name: mock
            context: {cluster: mock, user: e2e, namespace: %s}
        current-context: mock
        """
        .formatted(server, namespace);
  }

  /**
   * Starts replica {@code index} of the chart's {@code component} Deployment (gateway, operator) on
   * an address of its own.
   */
  Replica start(String component, int index) throws IOException {
    PodTemplateSpec template = rendered.deployment(component).getSpec().getTemplate();
    Pod pod =
        withApiAccess(
            new PodBuilder()
                .withMetadata(template.getMetadata())
                .editMetadata()
                .withName(Helm.FULLNAME + "-" + component + "-" + index)
                .withNamespace(namespace)
                .endMetadata()
                .withSpec(template.getSpec())
                .build());
    Container container = pod.getSpec().getContainers().get(0);
    String ip = addresses.next(ports(container));
    return new Replica(
        pod.getMetadata().getName(),
        ip,
        container,
        pods.launch(pod, container, ip, env.resolve(pod, container)));
  }

  private static int[] ports(Container container) {
    return container.getPorts().stream().mapToInt(p -> p.getContainerPort()).toArray();
  }

  /** The kubeconfig Secret mounted and named by KUBECONFIG, where a pod would have its token. */
  private static Pod withApiAccess(Pod pod) {
    return new PodBuilder(pod)
        .editSpec()
        .addToVolumes(
            new VolumeBuilder()
                .withName(API_ACCESS)
                .withNewSecret()
                .withSecretName(API_ACCESS)
                .endSecret()
                .build())
        .editFirstContainer()
        .addToVolumeMounts(
            new VolumeMountBuilder()
                .withName(API_ACCESS)
                .withMountPath(API_ACCESS_DIR)
                .withReadOnly(true)
                .build())
        .addToEnv(
            new EnvVarBuilder()
                .withName("KUBECONFIG")
                .withValue(API_ACCESS_DIR + "/kubeconfig")
                .build())
        .endContainer()
        .endSpec()
        .build();
  }
}
