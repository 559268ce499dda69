package dev.dormouse.js;

import java.nio.file.Path;
import java.util.regex.Pattern;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** A module's failure to compile or evaluate as a room's status shows it: {@code file:line:col: error}. */
final class CodeErrors {

  private CodeErrors() {}

  static String describe(PolyglotException e, ModuleFiles files) {
    SourceSection at = location(e);
    // The first line: a syntax error's message goes on with the line of code and a caret.
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
    if (at == null || at.getSource() == null) {
      return message;
    }
    // A syntax error's message names the place as the engine knows it (a file: URI), again.
    String uri = at.getSource().getURI().toString();
    return where(at, files) + ": " + message.replaceFirst(Pattern.quote(uri) + ":\\d+:\\d+ ", "");
  }

  /**
   * Where it happened in the room's code: the innermost frame of its files, else the error's own
   * location (an error thrown by Dormouse's runtime is the fault of the code that called it).
   */
  private static SourceSection location(PolyglotException e) {
    for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
      SourceSection at = frame.getSourceLocation();
      if (frame.isGuestFrame() && at != null && !at.getSource().getName().startsWith("dormouse:")) {
        return at;
      }
    }
    return e.getSourceLocation();
  }

  private static String where(SourceSection at, ModuleFiles files) {
    String path = at.getSource().getPath();
    String name = at.getSource().getName();
    if (path != null) {
      Path file = Path.of(path);
      if (file.startsWith(files.root())) {
        name = files.name(file);
      }
    }
    return name + ":" + at.getStartLine() + ":" + at.getStartColumn();
  }
}
