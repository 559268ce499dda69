package dev.dormouse.jsrooms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ws.serializeAttachment(v)} / {@code ws.deserializeAttachment()} with structured-clone
 * values: each kind is attached, the instance is evicted, and the class constructed again reads it
 * back as the same kind of value (a JSON round trip would turn a Date into a string, a Map into
 * {}). The room describes what it reads; the expected descriptions are written out here.
 */
class JsAttachmentsIT {

  static final String MODULE =
      JsRooms.IMPORT
          + """
          const VALUES = {
            json: () => ({ s: "text", n: 1.5, b: true, z: null, list: [1, [2, { three: 3 }]] }),
            date: () => new Date(Date.UTC(2024, 1, 29, 12, 30, 15, 250)),
            map: () => new Map([["a", 1], [2, { b: [true, null] }]]),
            set: () => new Set(["x", 3, 10n]),
            arraybuffer: () => new Uint8Array([0, 127, 128, 255]).buffer,
            uint8array: () => new Uint8Array([1, 2, 250]),
            float64array: () => new Float64Array([1.5, -0, NaN, -Infinity]),
            dataview: () => new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2),
            nested: () => ({
              when: new Date(0), tags: new Set(["t"]), byName: new Map([["k", new Uint8Array([5])]]),
              missing: undefined, re: /a+b/gi, big: -12345678901234567890n,
            }),
            cyclic: () => { const o = { name: "loop" }; o.self = o; return o; },
            shared: () => { const x = { n: 1 }; return { a: x, b: x }; },
          };

          function describe(v) {
            if (v === null) return "null";
            if (v === undefined) return "undefined";
            if (v instanceof Date) return "Date " + v.toISOString();
            if (v instanceof Map) return "Map " + [...v].map(([k, x]) => `${describe(k)}=>${describe(x)}`).join(",");
            if (v instanceof Set) return "Set " + [...v].map(describe).join(",");
            if (v instanceof ArrayBuffer) return "ArrayBuffer " + [...new Uint8Array(v)].join(",");
            if (v instanceof DataView) return `DataView ${v.byteOffset}+${v.byteLength} ${v.getUint8(0)},${v.getUint8(1)}`;
            if (ArrayBuffer.isView(v)) return v.constructor.name + " " + [...v].map((x) => Object.is(x, -0) ? "-0" : String(x)).join(",");
            if (v instanceof RegExp) return "RegExp " + v.toString();
            if (typeof v === "bigint") return "BigInt " + v;
            if (typeof v === "object") {
              if (v.self === v) return "cyclic " + v.name;
              if (v.a !== undefined && v.a === v.b) return "shared " + v.a.n;
              return "{" + Object.keys(v).map((k) => `${k}:${describe(v[k])}`).join(";") + "}";
            }
            return typeof v + " " + JSON.stringify(v);
          }

          export class Attachments extends DurableObject {
          """
          + JsRooms.ACCEPT
          + """
            async webSocketMessage(ws, message) {
              const [command, arg] = message.split(" ");
              try {
                if (command === "put") {
                  ws.serializeAttachment(VALUES[arg]());
                  ws.send("stored " + describe(ws.deserializeAttachment()));
                } else if (command === "text") {
                  ws.serializeAttachment("x".repeat(Number(arg)));
                  ws.send("stored " + ws.deserializeAttachment().length);
                } else if (command === "function") {
                  ws.serializeAttachment({ f: () => 1 });
                  ws.send("stored a function?");
                } else {
                  const v = ws.deserializeAttachment();
                  ws.send(typeof v === "string" ? "text of " + v.length : describe(v));
                }
              } catch (e) {
                ws.send(`refused: ${e.name}: ${e.message}`);
              }
            }
          }
          """;

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        JsRooms.start(
            "att",
            "attachments.js",
            "Attachments",
            MODULE,
            "instances: true\nhibernation:\n  idleTimeout: 500ms\n");
  }

  @AfterAll
  static void stop() throws IOException {
    dormouse.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "json         | {s:string \"text\";n:number 1.5;b:boolean true;z:null;list:{0:number 1;1:{0:number 2;1:{three:number 3}}}}",
        "date         | Date 2024-02-29T12:30:15.250Z",
        "map          | Map string \"a\"=>number 1,number 2=>{b:{0:boolean true;1:null}}",
        "set          | Set string \"x\",number 3,BigInt 10",
        "arraybuffer  | ArrayBuffer 0,127,128,255",
        "uint8array   | Uint8Array 1,2,250",
        "float64array | Float64Array 1.5,-0,NaN,-Infinity",
        "dataview     | DataView 1+2 8,7",
        "nested       | {when:Date 1970-01-01T00:00:00.000Z;tags:Set string \"t\";byName:Map string \"k\"=>Uint8Array 5;missing:undefined;re:RegExp /a+b/gi;big:BigInt -12345678901234567890}",
        "cyclic       | cyclic loop",
        "shared       | shared 1",
      })
  void eachCloneableKindComesBackAfterEviction(String kind, String expected) {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/att/" + kind));
    client.send("put " + kind);
    assertThat(client.nextText()).isEqualTo("stored " + expected);

    JsRooms.awaitEviction(dormouse);
    client.send("get");

    assertThat(client.nextText()).isEqualTo(expected);
  }

  @Test
  void anAttachmentOverTheRoomsLimitIsRefusedAndTheOldOneStays() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/att/limit"));
    client.send("text 15000");
    assertThat(client.nextText()).isEqualTo("stored 15000");

    client.send("text 17000");

    assertThat(client.nextText())
        .startsWith("refused: ")
        .contains("maxAttachmentBytes")
        .contains("16384");
    JsRooms.awaitEviction(dormouse);
    client.send("get");
    assertThat(client.nextText()).isEqualTo("text of 15000");
  }

  @Test
  void aValueThatCannotBeClonedIsADataCloneError() {
    WsClient client = WsClient.connect(dormouse.ws("/rooms/att/function"));
    client.send("put date");
    assertThat(client.nextText()).isEqualTo("stored Date 2024-02-29T12:30:15.250Z");

    client.send("function");

    assertThat(client.nextText()).startsWith("refused: DataCloneError: ");
    client.send("get");
    assertThat(client.nextText()).isEqualTo("Date 2024-02-29T12:30:15.250Z");
  }
}
