package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code this.ctx.storage}: get/put/delete of one key or many, list with its options, deleteAll,
 * values structured-cloned, all of it awaited and surviving eviction (it lives in Redis).
 */
class JsStorageIT {

  static final String MODULE =
      JsRooms.IMPORT
          + """
          function describe(v) {
            if (v === undefined) return "undefined";
            if (v instanceof Date) return "Date " + v.toISOString();
            if (v instanceof Map) return "Map " + [...v].map(([k, x]) => `${k}=${describe(x)}`).join(",");
            return JSON.stringify(v);
          }

          export class Store extends DurableObject {
          """
          + JsRooms.ACCEPT
          + """
            async webSocketMessage(ws, message) {
              const storage = this.ctx.storage;
              const [command, ...args] = message.split(" ");
              switch (command) {
                case "fill":
                  await storage.put("a", 1);
                  await storage.put({
                    b: new Date(0), c: new Map([["k", [1, "two"]]]), "d:1": "x", "d:2": "y", "d:3": "z",
                  });
                  ws.send("filled");
                  break;
                case "get": ws.send(describe(await storage.get(args[0]))); break;
                case "getmany": ws.send(describe(await storage.get(args))); break;
                case "list": ws.send([...(await storage.list(JSON.parse(args.join(" ") || "{}"))).keys()].join(",")); break;
                case "delete": ws.send(String(await storage.delete(args[0]))); break;
                case "deletemany": ws.send(String(await storage.delete(args))); break;
                case "deleteAll": await storage.deleteAll(); ws.send(String((await storage.list()).size)); break;
                default: ws.send("?");
              }
            }
          }
          """;

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        JsRooms.start(
            "store",
            "store.js",
            "Store",
            MODULE,
            "instances: true\nhibernation:\n  idleTimeout: 500ms\n");
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  static String ask(WsClient client, String command) {
    client.send(command);
    return client.nextText();
  }

  static WsClient filled(String instance) {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/store/" + instance));
    assertThat(ask(client, "fill")).isEqualTo("filled");
    return client;
  }

  @Test
  void valuesOfOneKeyOrManyComeBackClonedAfterEviction() {
    WsClient client = filled("values");
    JsRooms.awaitEviction(dormouse);

    assertThat(ask(client, "get a")).isEqualTo("1");
    assertThat(ask(client, "get b")).isEqualTo("Date 1970-01-01T00:00:00.000Z");
    assertThat(ask(client, "get c")).isEqualTo("Map k=[1,\"two\"]");
    assertThat(ask(client, "get nothing")).isEqualTo("undefined");
    assertThat(ask(client, "getmany a d:2 nothing"))
        .as("a Map of the keys found")
        .isEqualTo("Map a=1,d:2=\"y\"");
  }

  @Test
  void listTakesPrefixStartEndLimitAndReverse() {
    WsClient client = filled("listing");

    assertThat(ask(client, "list")).isEqualTo("a,b,c,d:1,d:2,d:3");
    assertThat(ask(client, "list {\"prefix\":\"d:\"}")).isEqualTo("d:1,d:2,d:3");
    assertThat(ask(client, "list {\"prefix\":\"d:\",\"limit\":2}")).isEqualTo("d:1,d:2");
    assertThat(ask(client, "list {\"prefix\":\"d:\",\"reverse\":true,\"limit\":1}"))
        .isEqualTo("d:3");
    assertThat(ask(client, "list {\"start\":\"c\",\"end\":\"d:2\"}")).isEqualTo("c,d:1");
    assertThat(ask(client, "list {\"startAfter\":\"d:1\"}")).isEqualTo("d:2,d:3");
  }

  @Test
  void deleteOneOrManyAndDeleteAllStayDeletedAfterEviction() {
    WsClient client = filled("deleting");

    assertThat(ask(client, "delete a")).as("it was there").isEqualTo("true");
    assertThat(ask(client, "delete a")).as("it was gone").isEqualTo("false");
    assertThat(ask(client, "deletemany d:1 d:2 nothing")).as("how many were there").isEqualTo("2");
    JsRooms.awaitEviction(dormouse);
    assertThat(ask(client, "list")).isEqualTo("b,c,d:3");

    assertThat(ask(client, "deleteAll")).isEqualTo("0");
    JsRooms.awaitEviction(dormouse);
    assertThat(ask(client, "list")).isEqualTo("");
  }
}
