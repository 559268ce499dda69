package dev.dormouse.crd.v1alpha1;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The handler form {@code js:<file>#<ExportName>}: an ES module, relative to the owner's room
 * library folder, and the class it exports. {@link #PATTERN} is the grammar as one regular
 * expression that Java and the API server (Go's RE2: no look-around) read alike; {@link
 * #problems} says which part of a malformed one is wrong.
 */
public final class JsHandler {

  public static final String SCHEME = "js:";

  /**
   * A path segment of letters, digits, '.', '_' and '-' that is not '.' or '..': its first
   * character other than a dot comes within the first three, or it starts with three dots.
   */
  private static final String SEGMENT =
      "(\\.{0,2}[A-Za-z0-9_-][A-Za-z0-9._-]*|\\.{3,}[A-Za-z0-9._-]*)";

  private static final String FILE = "(" + SEGMENT + "/)*[A-Za-z0-9._-]*\\.m?js";
  private static final String EXPORT = "[A-Za-z_$][A-Za-z0-9_$]*";

  /** The whole form, without anchors (the CRD's pattern combines it with the Java forms). */
  public static final String PATTERN = "js:" + FILE + "#" + EXPORT;

  private static final Pattern SEGMENT_CHARS = Pattern.compile("[A-Za-z0-9._-]+");
  private static final Pattern EXPORT_NAME = Pattern.compile(EXPORT);
  private static final String FORM =
      " (the form is js:<file>#<ExportName>, e.g. js:seed/worker.js#WebSocketHibernationServer)";

  private JsHandler() {}

  public static boolean isJs(String handler) {
    return handler != null && handler.startsWith(SCHEME);
  }

  /** The module file of a js: handler: what lies between the scheme and the first '#'. */
  public static String file(String handler) {
    String rest = handler.substring(SCHEME.length());
    int hash = rest.indexOf('#');
    return hash < 0 ? rest : rest.substring(0, hash);
  }

  /** What is wrong with a js: handler, each as its user would fix it; empty when well-formed. */
  public static List<String> problems(String handler) {
    List<String> found = new ArrayList<>();
    String rest = handler.substring(SCHEME.length());
    int hash = rest.indexOf('#');
    if (hash < 0) {
      found.add("names no exported class: no '#' after the module file" + FORM);
      return found;
    }
    String file = rest.substring(0, hash);
    String export = rest.substring(hash + 1);
    if (file.isEmpty()) {
      found.add("names no module file before '#'" + FORM);
    } else {
      fileProblems(file, found);
    }
    if (!EXPORT_NAME.matcher(export).matches()) {
      found.add(
          "export name "
              + quote(export)
              + " is not a JavaScript identifier (letters, digits, '_' and '$', not starting with"
              + " a digit)");
    }
    return found;
  }

  private static void fileProblems(String file, List<String> found) {
    if (file.startsWith("/")) {
      found.add(
          "module file "
              + quote(file)
              + " must be relative to the room library folder, without a leading '/'");
      return;
    }
    String[] segments = file.split("/", -1);
    for (String segment : segments) {
      if (segment.equals(".") || segment.equals("..")) {
        found.add(
            "module file "
                + quote(file)
                + " must not have '.' or '..' segments: it must lie inside the room library"
                + " folder");
        return;
      }
    }
    for (String segment : segments) {
      if (!SEGMENT_CHARS.matcher(segment).matches()) {
        found.add(
            "module file "
                + quote(file)
                + " may only have letters, digits, '.', '_' and '-' in names joined by single '/'");
        return;
      }
    }
    if (!file.endsWith(".js") && !file.endsWith(".mjs")) {
      found.add("module file " + quote(file) + " must end in .js or .mjs");
    }
  }

  private static String quote(String value) {
    return "'" + value + "'";
  }
}
