package dev.dormouse.testing;

/** A WebSocketRoom manifest as a user writes one, for room files and {@code kubectl apply} alike. */
public final class RoomManifest {

  private RoomManifest() {}

  /** Room {@code name} of {@code handler}; {@code specExtra} is YAML under {@code spec:}, at any indentation. */
  public static String of(String name, String handler, String specExtra) {
    return "apiVersion: dormouse.dev/v1alpha1\nkind: WebSocketRoom\nmetadata:\n  name: "
        + name
        + "\nspec:\n  handler: "
        + handler
        + "\n"
        + specExtra.stripIndent().indent(2);
  }
}
