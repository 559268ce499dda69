package dev.dormouse.publish;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a publish was handed to: every connection it was for, by the gateway holding it. Each
 * gateway's share is in that gateway's stream when the request is answered; the gateway writes it
 * to the sockets still open when it reads it.
 *
 * @param connections how many connections in all
 * @param gateways how many of them each gateway holds, by gateway id
 */
record Delivery(int connections, Map<String, Integer> gateways) {

  Delivery {
    gateways = new TreeMap<>(gateways);
  }
}
