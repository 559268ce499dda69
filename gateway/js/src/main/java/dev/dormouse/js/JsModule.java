package dev.dormouse.js;

import org.graalvm.polyglot.Source;

/**
 * A loaded module: the entry that imports it (parsed once by the shared engine, as is the module it
 * reads), the files it may import and the export that is the room's class.
 *
 * @param reference the handler's reference, for messages
 * @param source the entry: a module of one line importing the room's module by its path
 * @param files what its contexts may read
 */
record JsModule(ModuleReference reference, Source source, ModuleFiles files) {

  String exportName() {
    return reference.export();
  }
}
