package dev.dormouse.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading values out of a process's Prometheus page, as a scraper would. */
public final class PrometheusText {

  private PrometheusText() {}

  /** The series named {@code name} summed over their labels; 0 while none is there yet. */
  public static double sum(String page, String name) {
    Matcher matcher =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
            .matcher(page);
    double sum = 0;
    while (matcher.find()) {
      sum += Double.parseDouble(matcher.group(2));
    }
    return sum;
  }
}
