package dev.dormouse.js;

import java.nio.file.Path;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** A module's failure to compile or evaluate as a room's status shows it: {@code file:line:col: error}. */
final class CodeErrors {

  private CodeErrors() {}

  static String describe(PolyglotException e, ModuleFiles files) {
    SourceSection at = location(e);
    String message = e.getMessage();
    if (at == null || at.getSource() == null) {
      return message;
    }
    return where(at, files) + ": " + message;
  }

  /** Where it happened: the error's own location, else its innermost frame with one. */
  private static SourceSection location(PolyglotException e) {
    if (e.getSourceLocation() != null) {
      return e.getSourceLocation();
    }
    for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
      if (frame.isGuestFrame() && frame.getSourceLocation() != null) {
        return frame.getSourceLocation();
      }
    }
    return null;
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
