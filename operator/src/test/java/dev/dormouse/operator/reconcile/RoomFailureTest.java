package dev.dormouse.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.crd.v1alpha1.InvalidRoomException;
import dev.dormouse.crd.v1alpha1.Violation;
import dev.dormouse.operator.redis.RedisUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomFailureTest {

  @Test
  void anInvalidSpecIsNotRetriedEvenWhenWrapped() {
    var invalid =
        new InvalidRoomException(
            List.of(new Violation("spec.limits.maxConnections", "must be at least 1")));

    RoomFailure failure = RoomFailure.of(new RuntimeException(invalid));

    assertThat(failure.reason()).isEqualTo(RoomFailure.INVALID_SPEC);
    assertThat(failure.message()).contains("spec.limits.maxConnections");
    assertThat(failure.retryable()).isFalse();
  }

  @Test
  void infrastructureFailuresAreRetried() {
    assertThat(
            RoomFailure.of(
                new RedisUnavailableException("cannot read", new RuntimeException("refused"))))
        .extracting(RoomFailure::reason, RoomFailure::retryable)
        .containsExactly(RoomFailure.REDIS_UNAVAILABLE, true);
    assertThat(RoomFailure.of(new KubernetesClientException("forbidden")))
        .extracting(RoomFailure::reason, RoomFailure::retryable)
        .containsExactly(RoomFailure.KUBERNETES_API_ERROR, true);
    assertThat(RoomFailure.of(new IllegalStateException("boom")).reason())
        .isEqualTo(RoomFailure.RECONCILE_ERROR);
  }
}
