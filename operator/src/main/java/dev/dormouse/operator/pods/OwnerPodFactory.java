package dev.dormouse.operator.pods;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.contract.Annotations;
import dev.dormouse.crd.v1alpha1.Code;
import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Builds the owner pods of a room, and the hash that tells whether a running one is outdated. */
public final class OwnerPodFactory {

  public static final int LINK_PORT = 7070;
  public static final int ADMIN_PORT = 9090;

  /** Long enough for an owner to hand its instances back and flush to Redis on SIGTERM. */
  public static final long TERMINATION_GRACE_SECONDS = 60;

  public static final String CONTAINER = "owner";

  /** The volume of {@code spec.code.configMap}. */
  public static final String CODE_VOLUME = "room-code";

  private static final String SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int SUFFIX_LENGTH = 5;

  private final OwnerPodSettings settings;
  private final ObjectMapper json;
  private final SecureRandom random = new SecureRandom();

  public OwnerPodFactory(OwnerPodSettings settings, ObjectMapper json) {
    this.settings = settings;
    this.json = json;
  }

  /** A new owner pod with a fresh name; the name becomes the owner id. */
  public Pod newPod(WebSocketRoom room) {
    PodSpec spec = podSpec(room);
    String roomName = room.getMetadata().getName();
    return new PodBuilder()
        .withNewMetadata()
        .withName(roomName + "-owner-" + suffix())
        .withNamespace(room.getMetadata().getNamespace())
        .withLabels(labels(roomName))
        .withAnnotations(Map.of(Annotations.SPEC_HASH, hash(spec)))
        .withOwnerReferences(ownerReference(room))
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  /** The hash a pod built now for this room would carry. */
  public String specHash(WebSocketRoom room) {
    return hash(podSpec(room));
  }

  public static Map<String, String> labels(String roomName) {
    return Map.of(
        Annotations.ROOM_LABEL,
        roomName,
        Annotations.ROLE_LABEL,
        Annotations.ROLE_OWNER,
        "app.kubernetes.io/name",
        "dormouse",
        "app.kubernetes.io/component",
        Annotations.ROLE_OWNER,
        "app.kubernetes.io/instance",
        roomName,
        "app.kubernetes.io/managed-by",
        "dormouse-operator");
  }

  private PodSpec podSpec(WebSocketRoom room) {
    String image =
        room.getSpec().getImage() == null || room.getSpec().getImage().isBlank()
            ? settings.defaultImage()
            : room.getSpec().getImage();
    ResourceRequirements resources =
        room.getSpec().getOwners() == null ? null : room.getSpec().getOwners().getResources();
    Code code = room.getSpec().getCode();
    return new PodSpecBuilder()
        .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(image)
        .withArgs("owner")
        .addNewPort()
        .withName("link")
        .withContainerPort(LINK_PORT)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("admin")
        .withContainerPort(ADMIN_PORT)
        .withProtocol("TCP")
        .endPort()
        .withEnv(environment(room))
        // A woken room waits for its owner's first successful probe: probe every second (the
        // kubelet's least), still taken out of service after 4 s of failures as with 2 x 2 s.
        .withNewReadinessProbe()
        .withHttpGet(get("/readyz"))
        .withPeriodSeconds(1)
        .withFailureThreshold(4)
        .endReadinessProbe()
        .withNewLivenessProbe()
        .withHttpGet(get("/healthz"))
        .withInitialDelaySeconds(10)
        .withPeriodSeconds(10)
        .withFailureThreshold(3)
        .endLivenessProbe()
        .withResources(resources)
        .withVolumeMounts(code == null ? List.of() : List.of(codeMount(code)))
        .endContainer()
        .withVolumes(code == null ? List.of() : List.of(codeVolume(code)))
        .build();
  }

  /**
   * The room's modules where the owner's room library folder has them, so that the handler
   * {@code js:NAME/key#Export} names a file of the ConfigMap. Read-only: room code never writes
   * files.
   */
  private static VolumeMount codeMount(Code code) {
    return new VolumeMountBuilder()
        .withName(CODE_VOLUME)
        .withMountPath(code.mountPath())
        .withReadOnly(true)
        .build();
  }

  private static Volume codeVolume(Code code) {
    return new VolumeBuilder()
        .withName(CODE_VOLUME)
        .withNewConfigMap()
        .withName(code.getConfigMap())
        .endConfigMap()
        .build();
  }

  private List<EnvVar> environment(WebSocketRoom room) {
    List<EnvVar> env = new ArrayList<>();
    if (settings.redisSecretName().isEmpty()) {
      env.add(new EnvVarBuilder().withName("REDIS_URL").withValue(settings.redisUrl()).build());
    } else {
      env.add(fromSecret("REDIS_URL", settings.redisSecretName(), "url"));
    }
    env.add(fromSecret("DORMOUSE_LINK_SECRET", settings.linkSecretName(), "secret"));
    env.add(
        new EnvVarBuilder()
            .withName("DORMOUSE_ROOM")
            .withValue(room.getMetadata().getNamespace() + "/" + room.getMetadata().getName())
            .build());
    env.add(new EnvVarBuilder().withName("DORMOUSE_ROOM_SPEC").withValue(specJson(room)).build());
    env.add(
        new EnvVarBuilder()
            .withName("DORMOUSE_OWNER_ID")
            .withNewValueFrom()
            .withNewFieldRef()
            .withFieldPath("metadata.name")
            .endFieldRef()
            .endValueFrom()
            .build());
    return env;
  }

  private String specJson(WebSocketRoom room) {
    try {
      return json.writeValueAsString(room.getSpec());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "cannot write the spec of " + room.getMetadata().getName(), e);
    }
  }

  private static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }

  private static HTTPGetAction get(String path) {
    return new HTTPGetActionBuilder().withPath(path).withPort(new IntOrString(ADMIN_PORT)).build();
  }

  private static OwnerReference ownerReference(WebSocketRoom room) {
    return new OwnerReferenceBuilder()
        .withApiVersion(room.getApiVersion())
        .withKind(room.getKind())
        .withName(room.getMetadata().getName())
        .withUid(room.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private String hash(PodSpec spec) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(json.writeValueAsString(spec).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash an owner pod spec", e);
    }
  }

  private String suffix() {
    StringBuilder suffix = new StringBuilder(SUFFIX_LENGTH);
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
    }
    return suffix.toString();
  }
}
