package dev.dormouse.e2e.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisIT {

  private static final List<String> CLIENTS = List.of("gateway", "operator");

  @Test
  void bundledRedisPersistsWithAofOnAVolume() {
    Rendered rendered =
        Helm.template("redis.persistence.size=20Gi", "redis.persistence.storageClass=fast");
    StatefulSet redis = rendered.named(StatefulSet.class, "redis");

    assertThat(redis.getSpec().getReplicas()).isEqualTo(1);
    Container container = redis.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(String.join(" ", container.getArgs()))
        .contains("--appendonly yes")
        .contains("--dir /data");
    assertThat(container.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo("data");
              assertThat(m.getMountPath()).isEqualTo("/data");
            });
    assertThat(redis.getSpec().getVolumeClaimTemplates())
        .singleElement()
        .satisfies(
            pvc -> {
              assertThat(pvc.getMetadata().getName()).isEqualTo("data");
              assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString())
                  .isEqualTo("20Gi");
              assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("fast");
            });
    assertThat(container.getReadinessProbe()).isNotNull();
  }

  @Test
  void clientsReachTheBundledRedisByAnFqdnBecauseOwnersRunInOtherNamespaces() {
    Rendered rendered = Helm.template();
    Service service = rendered.named(Service.class, "redis");
    String expected =
        "redis://" + service.getMetadata().getName() + "." + Helm.NAMESPACE + ".svc:6379";

    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(6379));
    assertThat(
            Rendered.selects(
                new LabelSelectorBuilder().withMatchLabels(service.getSpec().getSelector()).build(),
                rendered
                    .named(StatefulSet.class, "redis")
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getLabels()))
        .isTrue();
    for (String client : CLIENTS) {
      Map<String, EnvVar> env = Rendered.env(rendered.container(client));
      assertThat(env.get("REDIS_URL").getValue()).as(client).isEqualTo(expected);
      assertThat(env).as(client).doesNotContainKey("REDIS_PASSWORD");
    }
  }

  @Test
  void turningRedisOffWithoutAUrlFailsWithAClearMessage() {
    assertThat(Helm.templateError("redis.enabled=false"))
        .contains("redis.enabled=false needs redis.url");
  }

  @Test
  void aPasswordInTheUrlIsRefusedSoItNeverLandsInAPodSpec() {
    assertThat(
            Helm.templateError(
                "redis.enabled=false", "redis.url=redis://:hunter2@redis.example.com:6379"))
        .contains("carry no password");
  }

  @Test
  void externalRedisWithTlsAndPasswordFlowsIntoEveryClient() {
    Rendered rendered =
        Helm.template(
            "redis.enabled=false",
            "redis.url=rediss://redis.example.com:6380",
            "redis.auth.existingSecret=redis-auth",
            "redis.auth.key=pw");

    assertThat(rendered.kindCounts()).doesNotContainKey("StatefulSet");
    assertThat(rendered.all(Service.class))
        .noneMatch(s -> s.getMetadata().getName().endsWith("-redis"));
    for (String client : CLIENTS) {
      List<EnvVar> env = rendered.container(client).getEnv();
      List<String> names = new ArrayList<>(env.stream().map(EnvVar::getName).toList());
      EnvVar password = Rendered.env(rendered.container(client)).get("REDIS_PASSWORD");
      assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis-auth");
      assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pw");
      assertThat(Rendered.env(rendered.container(client)).get("REDIS_URL").getValue())
          .isEqualTo("rediss://:$(REDIS_PASSWORD)@redis.example.com:6380");
      assertThat(names.indexOf("REDIS_PASSWORD"))
          .as("Kubernetes expands $(VAR) only from earlier entries")
          .isLessThan(names.indexOf("REDIS_URL"));
    }
    assertThat(
            Rendered.env(rendered.container("operator"))
                .get("DORMOUSE_REDIS_SECRET_NAME")
                .getValue())
        .as(
            "owners read the URL from the Secret, not from a copy with the password in their pod spec")
        .isEqualTo("redis-auth");
  }

  @Test
  void withoutAPasswordOwnersGetTheUrlAsIs() {
    assertThat(Rendered.env(Helm.template().container("operator")))
        .doesNotContainKey("DORMOUSE_REDIS_SECRET_NAME");
  }

  @Test
  void sentinelAndClusterUrlsPassThrough() {
    for (String url :
        List.of(
            "redis-sentinel://sentinel.example.com:26379#mymaster",
            "redis-cluster://r1:6379,r2:6379")) {
      // --set splits on commas; a values file needs no escaping.
      Rendered rendered =
          Helm.template("redis.enabled=false", "redis.url=" + url.replace(",", "\\,"));
      assertThat(Rendered.env(rendered.container("gateway")).get("REDIS_URL").getValue())
          .isEqualTo(url);
    }
  }

  @Test
  void bundledRedisRequiresThePasswordWhenOneIsConfigured() {
    Rendered rendered = Helm.template("redis.auth.existingSecret=redis-auth");
    Container redis =
        rendered
            .named(StatefulSet.class, "redis")
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);

    assertThat(String.join(" ", redis.getArgs())).contains("--requirepass $(REDIS_PASSWORD)");
    assertThat(Rendered.env(redis).get("REDIS_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("redis-auth");
    assertThat(Rendered.env(rendered.container("gateway")).get("REDIS_URL").getValue())
        .isEqualTo(
            "redis://:$(REDIS_PASSWORD)@"
                + Helm.FULLNAME
                + "-redis."
                + Helm.NAMESPACE
                + ".svc:6379");
  }
}
