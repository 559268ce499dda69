package dev.dormouse.js;

import dev.dormouse.room.spi.RoomCodeException;
import java.util.regex.Pattern;

/**
 * What follows {@code js:} in a room's handler: {@code <file>#<ExportName>}, the module's path inside
 * the room library folder and the name of the class it exports. The form is the CRD's, checked
 * again here because a handler can also come from a file in the local run.
 *
 * @param file the path relative to the library folder, {@code /}-separated
 * @param export the exported class's name
 */
record ModuleReference(String file, String export) {

  private static final Pattern FILE =
      Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*\\.(js|mjs)");
  private static final Pattern EXPORT = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  static ModuleReference parse(String reference) throws RoomCodeException {
    int hash = reference.lastIndexOf('#');
    if (hash < 0) {
      throw new RoomCodeException(
          "js:" + reference + ": expected js:<file>#<ExportName>, e.g. js:seed/worker.js#Room");
    }
    String file = reference.substring(0, hash);
    String export = reference.substring(hash + 1);
    if (!FILE.matcher(file).matches() || hasDotSegment(file)) {
      throw new RoomCodeException(
          "js:"
              + reference
              + ": the file must be a relative path inside the room library folder, of segments"
              + " [A-Za-z0-9._-]+ (none . or ..), ending .js or .mjs");
    }
    if (!EXPORT.matcher(export).matches()) {
      throw new RoomCodeException(
          "js:" + reference + ": the export must be a JavaScript identifier, got '" + export + "'");
    }
    return new ModuleReference(file, export);
  }

  private static boolean hasDotSegment(String file) {
    for (String segment : file.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return file + "#" + export;
  }
}
