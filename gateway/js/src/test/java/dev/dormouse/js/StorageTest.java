package dev.dormouse.js;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ctx.storage as a Durable Object's: promises, one key or many, list with its options in the
 * storage's order, deleteAll, alarms; values structured-cloned, kept across activations.
 */
class StorageTest {

  /** Each message is an async expression over `storage`; its result comes back as JSON-ish text. */
  static final String ROOM =
      """
      const show = (v) => v instanceof Map ? "Map" + JSON.stringify([...v])
        : v === undefined ? "undefined" : v instanceof Date ? "Date(" + v.getTime() + ")" : JSON.stringify(v);
      export class Room {
        constructor(ctx) { this.storage = ctx.storage; }
        async webSocketMessage(ws, code) {
          const storage = this.storage;
          try {
            ws.send(show(await eval(code)));
          } catch (e) {
            ws.send(e.name + ": " + e.message);
          }
        }
      }
      """;

  @TempDir Path lib;
  RoomDriver driver;
  FakeSocket s = new FakeSocket("s");

  @BeforeEach
  void activate() throws Exception {
    driver = RoomDriver.of(lib, ROOM);
  }

  @AfterEach
  void close() throws Exception {
    driver.close();
  }

  String eval(String code) throws Exception {
    s.transcript.clear();
    driver.send(s, code);
    return s.transcript.get(0).substring("s <- ".length());
  }

  @Test
  void oneKeyOrManyAndValuesStructuredCloned() throws Exception {
    assertThat(eval("storage.get('a')")).isEqualTo("undefined");
    assertThat(eval("storage.put('a', new Map([[1, new Date(5)]]))")).isEqualTo("undefined");
    assertThat(eval("storage.get('a').then(m => m.get(1))")).isEqualTo("Date(5)");
    assertThat(eval("storage.put({ b: 2, c: [3], d: 'four' })")).isEqualTo("undefined");
    // In key order, as workerd answers, not in the order asked.
    assertThat(eval("storage.get(['d', 'zz', 'b'])")).isEqualTo("Map[[\"b\",2],[\"d\",\"four\"]]");
    assertThat(eval("storage.delete('b')")).isEqualTo("true");
    assertThat(eval("storage.delete('b')")).isEqualTo("false");
    assertThat(eval("storage.delete(['c', 'd', 'nope'])")).isEqualTo("2");
    driver.evict();
    driver.activate();
    assertThat(eval("storage.get('a').then(m => m.get(1).getTime())")).isEqualTo("5");
    assertThat(eval("storage.deleteAll()")).isEqualTo("undefined");
    assertThat(driver.ctx.storage.entries).isEmpty();
  }

  @Test
  void listTakesPrefixStartEndReverseAndLimitInCodePointOrder() throws Exception {
    eval(
        "storage.put({ 'k1': 1, 'k2': 2, 'k3': 3, 'k4': 4, 'j': 0, 'l': 5, 'k\\uFFFF': 6, 'k\\u{1F600}': 7 })");
    assertThat(eval("storage.list({ prefix: 'k' }).then(m => [...m.keys()].length)"))
        .isEqualTo("6");
    // A code point past the BMP sorts after U+FFFF, as in UTF-8 (not in UTF-16 as JS strings do).
    assertThat(
            eval(
                "storage.list({ prefix: 'k', reverse: true, limit: 2 }).then(m => [...m.values()])"))
        .isEqualTo("[7,6]");
    assertThat(eval("storage.list({ start: 'k2', end: 'k4' })"))
        .isEqualTo("Map[[\"k2\",2],[\"k3\",3]]");
    assertThat(eval("storage.list({ startAfter: 'k2', limit: 1 })")).isEqualTo("Map[[\"k3\",3]]");
    assertThat(eval("storage.list().then(m => [...m.keys()][0])")).isEqualTo("\"j\"");
    assertThat(eval("storage.list({ start: 'a', startAfter: 'b' })"))
        .isEqualTo("TypeError: list(): start and startAfter cannot both be given");
    assertThat(eval("storage.list({ limit: 0 })"))
        .isEqualTo("RangeError: list(): limit must be a positive integer");
  }

  @Test
  void listPagesThroughMoreThanOnePageOfTheStore() throws Exception {
    for (int i = 0; i < 2500; i++) {
      driver.ctx.storage.put(String.format("n%05d", i), "" + i);
    }
    assertThat(eval("storage.list({ prefix: 'n' }).then(m => m.size + ' ' + m.get('n02499'))"))
        .isEqualTo("\"2500 2499\"");
    assertThat(eval("storage.list({ start: 'n01998', limit: 3 }).then(m => [...m.keys()])"))
        .isEqualTo("[\"n01998\",\"n01999\",\"n02000\"]");
  }

  @Test
  void mistakesRejectTheirPromise() throws Exception {
    assertThat(eval("storage.get(42)")).isEqualTo("TypeError: storage keys are strings");
    assertThat(eval("storage.put('f', () => 1)")).startsWith("DataCloneError: ");
    assertThat(eval("storage.put('x'.repeat(3000), 1)")).startsWith("RangeError: ");
    assertThat(eval("storage.get(Array.from({ length: 129 }, (_, i) => 'k' + i))"))
        .isEqualTo("RangeError: get() takes at most 128 keys");
    assertThat(eval("storage.transaction(() => 1)"))
        .isEqualTo("Error: storage.transaction() is not supported on Dormouse");
  }

  @Test
  void alarmsAreTheInstances() throws Exception {
    assertThat(eval("storage.getAlarm()")).isEqualTo("null");
    assertThat(eval("storage.setAlarm(new Date(1767225600000))")).isEqualTo("undefined");
    assertThat(driver.ctx.alarm).isEqualTo(Instant.ofEpochMilli(1767225600000L));
    assertThat(eval("storage.setAlarm(1767225601000)")).isEqualTo("undefined");
    assertThat(eval("storage.getAlarm()")).isEqualTo("1767225601000");
    assertThat(eval("storage.setAlarm('soon')"))
        .isEqualTo("TypeError: setAlarm() takes a Date or milliseconds since the epoch");
    assertThat(eval("storage.deleteAlarm()")).isEqualTo("undefined");
    assertThat(driver.ctx.alarm).isNull();
  }
}
