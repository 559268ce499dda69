package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Many sockets sending at once: every socket's messages keep their order. */
class OrderingIT {

  static final int SOCKETS = 16;
  static final int MESSAGES = 200;
  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room("echo", "echo", ""),
            LocalRunFixture.room("chat", "chat", "instances: true\n"));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void eachSocketsEchoesComeBackInOrder() throws Exception {
    List<WsClient> clients = new ArrayList<>();
    for (int i = 0; i < SOCKETS; i++) {
      clients.add(WsClient.connect(dormouse.ws("/rooms/echo")));
    }
    ExecutorService senders = Executors.newFixedThreadPool(SOCKETS);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int i = 0; i < SOCKETS; i++) {
        WsClient client = clients.get(i);
        int socket = i;
        sent.add(
            senders.submit(
                () -> {
                  for (int m = 0; m < MESSAGES; m++) {
                    client.send(socket + ":" + m);
                  }
                }));
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } finally {
      senders.shutdown();
    }
    for (int i = 0; i < SOCKETS; i++) {
      for (int m = 0; m < MESSAGES; m++) {
        assertThat(clients.get(i).nextText()).isEqualTo(i + ":" + m);
      }
    }
  }

  @Test
  void chatBroadcastsEverySendersMessagesInOrderToEveryone() throws Exception {
    ObjectMapper json = new ObjectMapper();
    WsClient ann = WsClient.connect(dormouse.ws("/rooms/chat/order?name=ann"));
    assertThat(json.readTree(ann.nextText()).get("type").asText()).isEqualTo("join");
    WsClient bob = WsClient.connect(dormouse.ws("/rooms/chat/order?name=bob"));
    assertThat(json.readTree(ann.nextText()).get("name").asText()).isEqualTo("bob");
    assertThat(json.readTree(bob.nextText()).get("name").asText()).isEqualTo("bob");
    Thread annSends =
        new Thread(
            () -> {
              for (int m = 0; m < MESSAGES; m++) {
                ann.send("a" + m);
              }
            });
    annSends.start();
    for (int m = 0; m < MESSAGES; m++) {
      bob.send("b" + m);
    }
    annSends.join();
    for (WsClient reader : List.of(ann, bob)) {
      int nextA = 0;
      int nextB = 0;
      for (int i = 0; i < 2 * MESSAGES; i++) {
        JsonNode event = json.readTree(reader.nextText());
        String text = event.get("text").asText();
        if (event.get("name").asText().equals("ann")) {
          assertThat(text).isEqualTo("a" + nextA++);
        } else {
          assertThat(text).isEqualTo("b" + nextB++);
        }
      }
    }
    bob.close(1000, "bye");
    assertThat(json.readTree(ann.nextText()).get("type").asText()).isEqualTo("leave");
  }
}
