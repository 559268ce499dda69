package dev.dormouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dormouse.testing.BrowserPage;
import dev.dormouse.testing.LocalRunFixture;
import dev.dormouse.testing.WsClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The admin page in a real browser (headless Chromium, driven by Playwright) on a real local run:
 * it shows a room's instance go from active to hibernated and back (and count its two wakes), and its
 * Hibernate button evicts
 * an instance whose socket stays open.
 */
class AdminPageBrowserIT {

  /** Hibernates one second after its last event. */
  static final String NAPPING =
      LocalRunFixture.room(
          "napping",
          "dev.dormouse.testing.ProbeRoom",
          """
          instances: true
          hibernation:
            idleTimeout: 1s
          """);

  /** Stays in memory longer than the test: only the button can evict it. */
  static final String STEADY =
      LocalRunFixture.room(
          "steady",
          "echo",
          """
          hibernation:
            idleTimeout: 5m
          """);

  static final Path SCREENSHOT = Path.of("target", "admin-page.png");

  static String badge(String instance) {
    return "tr[data-instance=\"" + instance + "\"] .badge";
  }

  @Test
  void thePageShowsSleepAndWakeAndItsButtonHibernates() throws Exception {
    try (LocalRunFixture dormouse = LocalRunFixture.start(NAPPING, STEADY);
        BrowserPage page = BrowserPage.open(dormouse.admin("/"))) {
      WsClient napper = WsClient.connect(dormouse.ws("/rooms/napping/den?name=a"));
      napper.send("hello");
      assertThat(napper.nextText()).isEqualTo("echo:hello");
      page.waitFor(badge("default/napping/den"), "active");

      page.waitFor(badge("default/napping/den"), "hibernated");

      napper.send("awake?");
      assertThat(napper.nextText()).isEqualTo("echo:awake?");
      page.waitFor(badge("default/napping/den"), "active");
      page.waitFor("tr[data-instance=\"default/napping/den\"] td.wakes", "2");

      WsClient steady = WsClient.connect(dormouse.ws("/rooms/steady?name=b"));
      steady.send("one");
      assertThat(steady.nextText()).isEqualTo("one");
      page.waitFor(badge("default/steady"), "active");
      page.screenshot(SCREENSHOT);

      page.click("tr[data-instance=\"default/steady\"] button[data-action=\"hibernate\"]");

      page.waitFor(badge("default/steady"), "hibernated");
      steady.send("still there");
      assertThat(steady.nextText()).as("its socket stayed open").isEqualTo("still there");
      page.waitFor(badge("default/steady"), "active");
      napper.close(1000, "done");
      steady.close(1000, "done");
    }
  }
}
