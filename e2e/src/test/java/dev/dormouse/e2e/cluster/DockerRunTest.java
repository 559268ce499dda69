package dev.dormouse.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The translation of a pod's container into {@code docker run} arguments. */
class DockerRunTest {

  static final DockerRun.Naming NAMING = new DockerRun.Naming("e2e-gw-1", "dormouse.e2e.run=t");

  /** The chart's gateway pod, as {@code helm template} renders it (abridged). */
  static final String GATEWAY =
      """
      terminationGracePeriodSeconds: 60
      securityContext: {runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001}
      containers:
        - name: gateway
          image: dormouse:ctr
          args: ["gateway"]
          resources: {requests: {cpu: 250m, memory: 512Mi}, limits: {memory: 1Gi, cpu: 1500m}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          volumeMounts:
            - {name: tmp, mountPath: /tmp}
            - {name: room-secret-a, mountPath: /etc/dormouse/secrets/a, readOnly: true}
      volumes:
        - {name: tmp, emptyDir: {}}
        - {name: room-secret-a, secret: {secretName: a}}
      """;

  static PodSpec spec(String yaml) {
    return Serialization.unmarshal(yaml, PodSpec.class);
  }

  static List<String> args(PodSpec spec, Map<String, String> env, Map<String, Path> rendered) {
    Container container = spec.getContainers().get(0);
    return DockerRun.args(NAMING, spec, container, env, rendered);
  }

  @Test
  void theChartsGatewayPodRunsAsTheKubeletWouldRunIt() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("REDIS_URL", "redis://127.0.0.1:6379");
    env.put("DORMOUSE_ROOM_SPEC", "{\"handler\": \"chat\",\n \"x\": 1}");

    List<String> args =
        args(spec(GATEWAY), env, Map.of("room-secret-a", Path.of("/r/gw-1/volumes/room-secret-a")));

    assertThat(String.join(" ", args))
        .isEqualTo(
            "--name e2e-gw-1 --label dormouse.e2e.run=t --network host --rm --stop-timeout 60"
                + " --memory 1073741824 --cpus 1.5"
                + " --user 10001:10001 --group-add 10001 --read-only"
                + " --security-opt no-new-privileges --cap-drop ALL"
                + " --tmpfs /tmp:rw,exec,mode=1777"
                + " -v /r/gw-1/volumes/room-secret-a:/etc/dormouse/secrets/a:ro"
                + " -e REDIS_URL=redis://127.0.0.1:6379"
                + " -e DORMOUSE_ROOM_SPEC={\"handler\": \"chat\",\n \"x\": 1}"
                + " dormouse:ctr gateway");
  }

  @Test
  void theContainersUserOverridesThePodsAndACommandReplacesTheEntrypoint() {
    PodSpec spec =
        spec(
            """
            securityContext: {runAsUser: 10001, runAsGroup: 10001}
            containers:
              - name: owner
                image: dormouse:rolled
                command: ["java", "-jar", "/opt/dormouse/dormouse.jar"]
                args: ["owner"]
                securityContext: {runAsUser: 2000}
            """);

    List<String> args = args(spec, Map.of(), Map.of());

    assertThat(args).containsSubsequence("--user", "2000:10001");
    assertThat(args)
        .endsWith(
            "--entrypoint",
            "java",
            "dormouse:rolled",
            "-jar",
            "/opt/dormouse/dormouse.jar",
            "owner");
    assertThat(args).doesNotContain("--read-only", "--memory", "--cpus", "--stop-timeout");
  }

  @Test
  void aVolumeItCannotRunIsRefusedNotDropped() {
    PodSpec hostPath =
        spec(
            """
            containers:
              - name: c
                image: i
                volumeMounts: [{name: data, mountPath: /data}]
            volumes: [{name: data, hostPath: {path: /var/data}}]
            """);
    assertThatThrownBy(() -> args(hostPath, Map.of(), Map.of()))
        .hasMessageContaining("volume data is neither");

    PodSpec unrendered = spec(GATEWAY);
    assertThatThrownBy(() -> args(unrendered, Map.of(), Map.of()))
        .hasMessageContaining("volume room-secret-a was not rendered");

    PodSpec undeclared =
        spec(
            """
            containers:
              - name: c
                image: i
                volumeMounts: [{name: ghost, mountPath: /g}]
            """);
    assertThatThrownBy(() -> args(undeclared, Map.of(), Map.of()))
        .hasMessageContaining("undeclared volume ghost");
  }

  @Test
  void aLimitItCannotApplyIsRefused() {
    PodSpec gpu =
        spec(
            """
            containers:
              - name: c
                image: i
                resources: {limits: {nvidia.com/gpu: 1}}
            """);
    assertThatThrownBy(() -> args(gpu, Map.of(), Map.of()))
        .hasMessageContaining("resource limit nvidia.com/gpu not supported");
  }
}
