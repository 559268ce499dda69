package dev.dormouse.crd.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A named WebSocket room: clients connect through the gateways, the room's code runs on owner
 * pods that the operator schedules, hibernates and wakes.
 */
@Group(WebSocketRoom.GROUP)
@Version(WebSocketRoom.VERSION)
@Plural("websocketrooms")
@Singular("websocketroom")
@ShortNames("wsroom")
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(
    name = "CONNECTIONS",
    jsonPath = ".status.connections",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "ACTIVE",
    jsonPath = ".status.instances.active",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "OWNERS",
    jsonPath = ".status.owners.ready",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "AGE",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class WebSocketRoom extends CustomResource<WebSocketRoomSpec, WebSocketRoomStatus>
    implements Namespaced {

  public static final String GROUP = "dormouse.dev";
  public static final String VERSION = "v1alpha1";

  @Override
  protected WebSocketRoomSpec initSpec() {
    return new WebSocketRoomSpec();
  }
}
