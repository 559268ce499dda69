package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code storage.setAlarm/getAlarm/deleteAlarm} and the class's {@code alarm(alarmInfo)}: an alarm
 * set before the instance hibernated constructs the class again when it is due and rings.
 */
class JsAlarmsIT {

  static final String MODULE =
      JsRooms.IMPORT
          + """
          export class Ring extends DurableObject {
          """
          + JsRooms.ACCEPT
          + """
            async webSocketMessage(ws, message) {
              const storage = this.ctx.storage;
              const [command, ms] = message.split(" ");
              const due = Date.now() + Number(ms);
              if (command === "in") {
                await storage.put("due", due);
                await storage.setAlarm(due);
                ws.send(String((await storage.getAlarm()) === due));
              } else if (command === "at") {
                await storage.put("due", due);
                await storage.setAlarm(new Date(due));
                ws.send("set");
              } else if (command === "cancel") {
                await storage.deleteAlarm();
                ws.send("cancelled " + (await storage.getAlarm()));
              }
            }
            async alarm(alarmInfo) {
              const rings = ((await this.ctx.storage.get("rings")) ?? 0) + 1;
              await this.ctx.storage.put("rings", rings);
              const when = Date.now() >= (await this.ctx.storage.get("due")) ? "on time" : "early";
              for (const ws of this.ctx.getWebSockets()) {
                ws.send(`ring ${rings} ${when}, retry ${alarmInfo.retryCount}`);
              }
            }
          }
          """;

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        JsRooms.start(
            "ring",
            "ring.js",
            "Ring",
            MODULE,
            "instances: true\nhibernation:\n  idleTimeout: 300ms\n");
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  @Test
  void anAlarmWakesTheHibernatedInstanceAndRings() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/ring/wake"));
    client.send("in 3000");
    assertThat(client.nextText()).as("getAlarm() gives the time set").isEqualTo("true");
    JsRooms.awaitEviction(dormouse);
    double revivals = dormouse.run().metrics().revivals();
    assertThat(client.nothingReceived()).as("not due yet").isTrue();

    assertThat(client.nextText(Duration.ofSeconds(15))).isEqualTo("ring 1 on time, retry 0");
    assertThat(dormouse.run().metrics().revivals())
        .as("the alarm constructed the class again")
        .isEqualTo(revivals + 1);
  }

  @Test
  void aDeletedAlarmNeverRings() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/ring/cancel"));
    client.send("in 1000");
    assertThat(client.nextText()).isEqualTo("true");
    client.send("cancel");
    assertThat(client.nextText()).isEqualTo("cancelled null");
    // A later alarm rings on time: the deleted one, due first, would have rung early.
    client.send("at 2500");
    assertThat(client.nextText()).isEqualTo("set");

    assertThat(client.nextText(Duration.ofSeconds(15))).isEqualTo("ring 1 on time, retry 0");
  }
}
