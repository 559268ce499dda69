package dev.dormouse.js;

import org.graalvm.polyglot.Source;

/**
 * A loaded module: its source (parsed once by the shared engine), the files it may import and the
 * export that is the room's class.
 *
 * @param reference the handler's reference, for messages
 * @param source the module's source, named by its path in the library folder
 * @param files what its contexts may read
 */
record JsModule(ModuleReference reference, Source source, ModuleFiles files) {

  String exportName() {
    return reference.export();
  }
}
