package dev.dormouse.testing;

import dev.dormouse.crd.v1alpha1.WebSocketRoom;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Installs the generated WebSocketRoom CRD in a mock API server, which otherwise ignores its subresources. */
public final class WebSocketRoomCrd {

  private WebSocketRoomCrd() {}

  public static void install(KubernetesClient client) {
    try (InputStream yaml =
        WebSocketRoom.class.getResourceAsStream(
            "/META-INF/fabric8/websocketrooms.dormouse.dev-v1.yml")) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().load(yaml).item();
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
