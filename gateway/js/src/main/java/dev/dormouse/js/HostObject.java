package dev.dormouse.js;

import java.util.LinkedHashMap;
import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * Functions of the host as one read-only JavaScript object: the only way from a room's code to Java
 * (the context has no host access). A Java exception becomes a JavaScript error the code can catch:
 * {@code RangeError} for an argument refused ({@code IllegalArgumentException}: a limit passed),
 * {@code Error} otherwise, with the Java message.
 */
final class HostObject implements ProxyObject {

  /** One function; its arguments as the engine passes them. */
  @FunctionalInterface
  interface Function {
    Object apply(Value... args) throws Exception;
  }

  private final Map<String, ProxyExecutable> members = new LinkedHashMap<>();
  private final Value raise;

  /**
   * @param raise a JavaScript function {@code (name, message)} that throws a new error of that
   *     constructor's name
   */
  HostObject(Value raise) {
    this.raise = raise;
  }

  HostObject with(String name, Function function) {
    members.put(
        name,
        args -> {
          try {
            return function.apply(args);
          } catch (PolyglotException e) {
            throw e;
          } catch (IllegalArgumentException e) {
            throw raise("RangeError", e);
          } catch (Exception e) {
            throw raise("Error", e);
          }
        });
    return this;
  }

  private PolyglotException raise(String type, Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    try {
      raise.execute(type, message);
    } catch (PolyglotException thrown) {
      // Rethrown to the calling code, this is the JavaScript error itself again.
      return thrown;
    }
    throw new IllegalStateException("the error factory did not throw");
  }

  @Override
  public Object getMember(String key) {
    return members.get(key);
  }

  @Override
  public Object getMemberKeys() {
    return ProxyArray.fromArray(members.keySet().toArray());
  }

  @Override
  public boolean hasMember(String key) {
    return members.containsKey(key);
  }

  @Override
  public void putMember(String key, Value value) {
    throw new UnsupportedOperationException("the host object is read-only");
  }
}
