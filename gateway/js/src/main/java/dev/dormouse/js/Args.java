package dev.dormouse.js;

import java.util.ArrayList;
import java.util.List;
import org.graalvm.polyglot.Value;

/** Reading the arguments of host calls, which the runtime (runtime.js) passes in known shapes. */
final class Args {

  private Args() {}

  static String string(Value value) {
    return value.isNull() ? null : value.asString();
  }

  static List<String> strings(Value array) {
    List<String> list = new ArrayList<>((int) array.getArraySize());
    for (long i = 0; i < array.getArraySize(); i++) {
      list.add(array.getArrayElement(i).asString());
    }
    return list;
  }
}
