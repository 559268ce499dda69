package dev.dormouse.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.dormouse.store.EmbeddedRedis;
import dev.dormouse.store.RedisConnector;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

class EmbeddedRedisExtensionTest {

  static EmbeddedRedis serverBeforeAll;
  static RedisConnector connectorBeforeAll;
  static EmbeddedRedis serverInTest;

  /** A test class as the gateway's and the operator's use the extension; run by the launcher below. */
  @ExtendWith(EmbeddedRedisExtension.class)
  static class UsesRedis {

    @BeforeAll
    static void start(EmbeddedRedis server, RedisConnector redis) {
      serverBeforeAll = server;
      connectorBeforeAll = redis;
    }

    @Test
    void writes(EmbeddedRedis server, RedisConnector redis) {
      serverInTest = server;
      assertThat(redis).isSameAs(connectorBeforeAll);
      redis.sync().set("k", "v");
    }

    @Test
    void readsBack(RedisConnector redis) {
      redis.sync().set("k", "v");
      assertThat(redis.sync().get("k")).isEqualTo("v");
    }
  }

  @Test
  void oneServerForTheWholeClassStoppedAfterIt() {
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(UsesRedis.class))
                .build(),
            listener);

    assertThat(listener.getSummary().getTestsSucceededCount())
        .as(listener.getSummary().getFailures().toString())
        .isEqualTo(2);
    assertThat(serverInTest).isSameAs(serverBeforeAll);
    assertThat(connectorBeforeAll.isConnected()).as("connection closed after the class").isFalse();
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", serverBeforeAll.port()), 1000);
              }
            })
        .as("redis-server stopped after the class")
        .isInstanceOf(IOException.class);
  }
}
