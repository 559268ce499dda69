package dev.dormouse.e2e.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's environment resolved as the kubelet resolves it: values, Secret keys read from the API
 * server, {@code metadata.name} and {@code metadata.namespace}. Any other source is refused.
 */
final class PodEnv {

  private final KubernetesClient client;
  private final String namespace;

  PodEnv(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  Map<String, String> resolve(Pod pod, Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), value(pod, var));
    }
    return env;
  }

  private String value(Pod pod, EnvVar var) {
    EnvVarSource from = var.getValueFrom();
    if (from == null) {
      return var.getValue() == null ? "" : var.getValue();
    }
    if (from.getSecretKeyRef() != null) {
      String name = from.getSecretKeyRef().getName();
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      if (secret == null) {
        throw new IllegalStateException("secret " + name + " not found");
      }
      byte[] value = PodVolumes.keys(secret).get(from.getSecretKeyRef().getKey());
      if (value == null) {
        throw new IllegalStateException(
            "secret " + name + " has no key " + from.getSecretKeyRef().getKey());
      }
      return new String(value, StandardCharsets.UTF_8);
    }
    if (from.getFieldRef() != null) {
      return switch (from.getFieldRef().getFieldPath()) {
        case "metadata.name" -> pod.getMetadata().getName();
        case "metadata.namespace" -> namespace;
        default ->
            throw new IllegalStateException(
                "field " + from.getFieldRef().getFieldPath() + " not supported");
      };
    }
    throw new IllegalStateException(
        "env " + var.getName() + " has a source this runner does not support");
  }
}
