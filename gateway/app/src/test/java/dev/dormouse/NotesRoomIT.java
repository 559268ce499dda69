package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in notes room (examples/rooms/notes.yaml): the storage API as a client sees it. */
class NotesRoomIT {

  static LocalRunFixture dormouse;

  @BeforeAll
  static void start() throws IOException {
    dormouse =
        LocalRunFixture.start(
            LocalRunFixture.room(
                "notes",
                "dev.dormouse.room.builtin.NotesRoom",
                """
            instances: true
            hibernation:
              idleTimeout: 300ms
            limits:
              maxStorageValueBytes: 1024
            """));
  }

  @AfterAll
  static void stop() throws Exception {
    dormouse.close();
  }

  @Test
  void notesAreSharedListedInOrderRenamedAtomicallyAndOutliveHibernation() {
    WsClient ann = WsClient.connect(dormouse.ws("/rooms/notes/team?name=ann"));
    WsClient bob = WsClient.connect(dormouse.ws("/rooms/notes/team?name=bob"));

    ann.send("put shopping milk, eggs");
    assertThat(ann.nextText()).isEqualTo("changed shopping by ann");
    assertThat(bob.nextText()).isEqualTo("changed shopping by ann");
    bob.send("put todo call Ann");
    assertThat(bob.nextText()).isEqualTo("changed todo by bob");
    bob.send("put shop-hours 9-17");
    assertThat(bob.nextText()).isEqualTo("changed shop-hours by bob");
    bob.send("list sho");
    assertThat(bob.nextText()).isEqualTo("notes shop-hours,shopping");

    bob.send("rename shopping groceries");
    assertThat(bob.nextText()).isEqualTo("changed groceries by bob");
    for (String note : new String[] {"todo", "shop-hours", "groceries"}) {
      assertThat(ann.nextText()).isEqualTo("changed " + note + " by bob");
    }
    double evictions = dormouse.run().metrics().evictions();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                dormouse.run().metrics().evictions() > evictions
                    && dormouse.run().runtime().activeInstances() == 0);

    ann.send("list");
    assertThat(ann.nextText()).isEqualTo("notes groceries,shop-hours,todo");
    ann.send("get groceries");
    assertThat(ann.nextText()).isEqualTo("note groceries milk, eggs");
    ann.send("delete todo");
    assertThat(ann.nextText()).isEqualTo("deleted todo true");
    ann.send("delete todo");
    assertThat(ann.nextText()).isEqualTo("deleted todo false");
  }

  @Test
  void aFileComesBackByteForByte() {
    WsClient cat = WsClient.connect(dormouse.ws("/rooms/notes/files?name=cat"));
    byte[] file = new byte[256];
    for (int i = 0; i < file.length; i++) {
      file[i] = (byte) i;
    }

    cat.send(file);
    assertThat(cat.nextText()).isEqualTo("file of 256 bytes kept");
    cat.send("file");

    assertThat(cat.nextBinary()).isEqualTo(file);
  }

  @Test
  void aNoteOverTheLimitIsRefusedAndNotKept() {
    WsClient dan = WsClient.connect(dormouse.ws("/rooms/notes/big?name=dan"));

    dan.send("put big " + "x".repeat(1025));
    assertThat(dan.nextText())
        .isEqualTo(
            "refused: storage value of key 'note:big' is 1025 bytes, over"
                + " spec.limits.maxStorageValueBytes (1024); nothing was written");
    dan.send("get big");
    assertThat(dan.nextText()).isEqualTo("no note big");
  }
}
