package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.admin.Metrics;
import dev.dormouse.cluster.StaticOwnerDirectory;
import dev.dormouse.node.GatewayNode;
import dev.dormouse.node.OwnerNode;
import dev.dormouse.publish.PublishToken;
import dev.dormouse.testing.ClusterFixture;
import dev.dormouse.testing.CuttableProxy;
import dev.dormouse.testing.PublishClient;
import dev.dormouse.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publish API when Redis fails one gateway: a gateway whose connection to Redis drops while
 * messages are published to its clients reads them all, in order, once it reconnects; a gateway
 * that cannot reach Redis answers 503 and publishes nothing.
 */
class PublishRedisFaultsIT {

  static final String PATH = "/v1/rooms/probe/news/messages";

  ClusterFixture cluster;
  CuttableProxy proxy;
  GatewayNode healthy;
  GatewayNode cutOff;
  PublishClient healthyApi;
  PublishClient cutOffApi;

  @BeforeEach
  void start() throws Exception {
    cluster = ClusterFixture.start(PublishIT.ROOMS);
    OwnerNode owner = cluster.owner("o1", new Metrics());
    StaticOwnerDirectory owners =
        new StaticOwnerDirectory(List.of(ClusterFixture.endpoint("o1", owner)));
    proxy = CuttableProxy.to(cluster.redis().port());
    healthy = cluster.gateway("healthy", owners, new Metrics(), Duration.ofSeconds(20));
    cutOff =
        cluster.gateway("cut-off", owners, new Metrics(), Duration.ofSeconds(20), proxy.redisUrl());
    PublishToken token = new PublishToken(PublishClient.TOKEN.getBytes(StandardCharsets.UTF_8));
    healthyApi = new PublishClient(healthy.servePublishApi(0, token));
    cutOffApi = new PublishClient(cutOff.servePublishApi(0, token));
  }

  @AfterEach
  void stop() throws Exception {
    proxy.heal();
    cluster.close();
    proxy.close();
  }

  WsClient member(GatewayNode gateway, String name) {
    WsClient client =
        WsClient.connect(ClusterFixture.ws(gateway.address(), "/rooms/probe/news?name=" + name));
    client.send("hello");
    assertThat(client.nextText()).isEqualTo("echo:hello");
    return client;
  }

  @Test
  void aGatewayWhoseRedisConnectionDroppedReadsWhatWasPublishedMeanwhileInOrder() {
    WsClient listener = member(cutOff, "listener");
    WsClient bystander = member(healthy, "bystander");
    assertThat(healthyApi.publishText(PATH, "before").statusCode()).isEqualTo(202);
    assertThat(listener.nextText()).isEqualTo("before");
    assertThat(bystander.nextText()).isEqualTo("before");

    // Its read in flight is lost with the connection; what is published meanwhile waits in Redis.
    proxy.cut();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> answer = healthyApi.publishText(PATH, "during" + i);
      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(answer.body()).contains("\"cut-off\":1");
    }
    proxy.reset();
    proxy.heal();
    assertThat(healthyApi.publishText(PATH, "after").statusCode()).isEqualTo(202);

    for (WsClient client : List.of(listener, bystander)) {
      for (int i = 0; i < 5; i++) {
        assertThat(client.nextText()).isEqualTo("during" + i);
      }
      assertThat(client.nextText()).isEqualTo("after");
    }
    assertThat(listener.isClosed()).isFalse();
  }

  @Test
  void aGatewayThatCannotReachRedisAnswers503AndPublishesNothing() throws Exception {
    WsClient bystander = member(healthy, "bystander");
    proxy.close(); // every connection of the cut-off gateway gone, and no new one taken
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              HttpResponse<String> answer = cutOffApi.publishText(PATH, "lost");
              assertThat(answer.statusCode()).isEqualTo(503);
              assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
              assertThat(answer.body()).contains("Redis");
            });
    assertThat(healthyApi.publishText(PATH, "next").statusCode()).isEqualTo(202);
    assertThat(bystander.nextText()).isEqualTo("next");
  }
}
