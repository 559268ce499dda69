package dev.dormouse.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StaticOwnerDirectoryTest {

  @Test
  void parsesEntriesWithAndWithoutIdsSortedById() {
    StaticOwnerDirectory owners =
        StaticOwnerDirectory.of(" zed=127.0.0.1:7071 , 127.0.0.1:7070,[::1]:7072");

    assertThat(owners.owners("any", "room").all())
        .containsExactly(
            new OwnerEndpoint("127.0.0.1:7070", new InetSocketAddress("127.0.0.1", 7070)),
            new OwnerEndpoint("[::1]:7072", new InetSocketAddress("::1", 7072)),
            new OwnerEndpoint("zed", new InetSocketAddress("127.0.0.1", 7071)));
    assertThat(owners.owners("other", "hall")).isEqualTo(owners.owners("any", "room"));
    assertThat(owners.owners("any", "room").starting()).as("nothing probes them").isEmpty();
  }

  @Test
  void aBlankSpecIsNoOwners() {
    assertThat(StaticOwnerDirectory.of(" ").owners("ns", "room").all()).isEmpty();
  }

  @Test
  void parseErrorsNameTheBadEntry() {
    assertThatThrownBy(() -> StaticOwnerDirectory.parse("a=127.0.0.1:7070,b=127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'b=127.0.0.1'");
    assertThatThrownBy(() -> StaticOwnerDirectory.parse("a=127.0.0.1:70000"))
        .hasMessageContaining("'a=127.0.0.1:70000'")
        .hasMessageContaining("port");
    assertThatThrownBy(() -> StaticOwnerDirectory.parse("=127.0.0.1:7070"))
        .hasMessageContaining("'=127.0.0.1:7070'");
    assertThatThrownBy(() -> StaticOwnerDirectory.parse("a=127.0.0.1:7070,a=127.0.0.1:7071"))
        .hasMessageContaining("'a=127.0.0.1:7071'")
        .hasMessageContaining("twice");
  }

  @Test
  void aListThatStartsEmptyGainsAnOwnerLaterAndTellsTheListeners() {
    StaticOwnerDirectory owners = StaticOwnerDirectory.of("");
    AtomicInteger changes = new AtomicInteger();
    owners.addListener(changes::incrementAndGet);
    owners.addListener(
        () -> {
          throw new IllegalStateException("a broken listener does not silence the others");
        });

    OwnerEndpoint owner = new OwnerEndpoint("late", new InetSocketAddress("127.0.0.1", 7070));
    owners.set(List.of(owner));

    assertThat(owners.owners("ns", "room").all()).containsExactly(owner);
    assertThat(changes).hasValue(1);
  }
}
