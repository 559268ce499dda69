package dev.dormouse.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.Annotations;
import dev.dormouse.crd.v1alpha1.Code;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import org.junit.jupiter.api.Test;

class OwnerPodFactoryTest {

  private final OwnerPodFactory factory =
      new OwnerPodFactory(
          new OwnerPodSettings(
              "dormouse:default", "redis://:pw@redis:6379", "dormouse-redis", "link"),
          new ObjectMapper());

  private static WebSocketRoom room() {
    WebSocketRoom room = new WebSocketRoom();
    room.setMetadata(
        new ObjectMetaBuilder().withName("chat").withNamespace("ns").withUid("u-1").build());
    return room;
  }

  @Test
  void podsOfOneSpecShareAHashAndDifferInName() {
    Pod a = factory.newPod(room());
    Pod b = factory.newPod(room());

    assertThat(a.getMetadata().getName())
        .startsWith("chat-owner-")
        .isNotEqualTo(b.getMetadata().getName());
    assertThat(a.getMetadata().getAnnotations().get(Annotations.SPEC_HASH))
        .isEqualTo(b.getMetadata().getAnnotations().get(Annotations.SPEC_HASH))
        .isEqualTo(factory.specHash(room()));
  }

  @Test
  void aWokenOwnerIsProbedEverySecondAndStillTakenOutAfterFourSecondsOfFailures() {
    Probe readiness = factory.newPod(room()).getSpec().getContainers().get(0).getReadinessProbe();

    assertThat(readiness.getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(readiness.getPeriodSeconds()).isEqualTo(1);
    assertThat(readiness.getPeriodSeconds() * readiness.getFailureThreshold()).isEqualTo(4);
  }

  @Test
  void aSpecChangeChangesTheHash() {
    WebSocketRoom changed = room();
    changed.getSpec().setHandler("echo");

    assertThat(factory.specHash(changed)).isNotEqualTo(factory.specHash(room()));
  }

  @Test
  void imageAndResourcesComeFromTheSpec() {
    WebSocketRoom room = room();
    room.getSpec().setImage("custom:1");
    room.getSpec()
        .getOwners()
        .setResources(
            new ResourceRequirementsBuilder()
                .addToRequests("memory", new Quantity("256Mi"))
                .build());

    var container = factory.newPod(room).getSpec().getContainers().get(0);

    assertThat(container.getImage()).isEqualTo("custom:1");
    assertThat(container.getResources().getRequests())
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(factory.newPod(room()).getSpec().getContainers().get(0).getImage())
        .isEqualTo("dormouse:default");
  }

  @Test
  void aRedisSecretKeepsThePasswordOutOfThePod() {
    EnvVar redisUrl =
        factory.newPod(room()).getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("REDIS_URL"))
            .findFirst()
            .orElseThrow();

    assertThat(redisUrl.getValue()).isNull();
    assertThat(redisUrl.getValueFrom().getSecretKeyRef().getName()).isEqualTo("dormouse-redis");
    assertThat(redisUrl.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("url");
  }

  @Test
  void aCodeConfigMapIsMountedReadOnlyInTheRoomLibraryFolder() {
    WebSocketRoom room = room();
    room.getSpec().setHandler("js:seed-code/worker.js#WebSocketHibernationServer");
    room.getSpec().setCode(new Code("seed-code"));

    Pod pod = factory.newPod(room);

    assertThat(pod.getSpec().getVolumes())
        .singleElement()
        .satisfies(
            volume -> {
              assertThat(volume.getName()).isEqualTo(OwnerPodFactory.CODE_VOLUME);
              assertThat(volume.getConfigMap().getName()).isEqualTo("seed-code");
            });
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .singleElement()
        .satisfies(
            mount -> {
              assertThat(mount.getName()).isEqualTo(OwnerPodFactory.CODE_VOLUME);
              assertThat(mount.getMountPath()).isEqualTo("/opt/dormouse/lib/seed-code");
              assertThat(mount.getReadOnly()).isTrue();
            });
    assertThat(factory.specHash(room)).isNotEqualTo(factory.specHash(room()));
  }

  @Test
  void withoutCodeThePodHasNoVolume() {
    Pod pod = factory.newPod(room());

    assertThat(pod.getSpec().getVolumes()).isEmpty();
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts()).isEmpty();
  }
}
