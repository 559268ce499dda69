package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.handler.contains('.') || self.handler in ['example', 'echo', 'chat']",
    message =
        "handler must be a built-in (example, echo, chat), a fully qualified class name or"
            + " js:<file>#<ExportName>")
@ValidationRule(
    value = WebSocketRoomSpec.CODE_RULE,
    message =
        "with spec.code.configMap the handler must be js:<configMap>/<key>#<ExportName>: a module"
            + " of that ConfigMap")
public class WebSocketRoomSpec {

  public static final String DEFAULT_HANDLER = "example";
  public static final java.util.Set<String> BUILT_IN_HANDLERS =
      java.util.Set.of("example", "echo", "chat");

  /** A built-in handler name, a fully qualified Java class name or a {@link JsHandler}. */
  public static final String HANDLER_PATTERN =
      "^([A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*|" + JsHandler.PATTERN + ")$";

  /** Longer than any class name or module path a room has; bounds the CEL rules' cost. */
  public static final int HANDLER_MAX_LENGTH = 1024;

  /**
   * A ConfigMap's keys are files directly in its folder, so the module is {@code NAME/<key>}: no
   * further '/' after the prefix (the export name has none either).
   */
  public static final String CODE_RULE =
      "!has(self.code) || !has(self.code.configMap)"
          + " || (self.handler.startsWith('js:' + self.code.configMap + '/')"
          + " && !self.handler.substring(size(self.code.configMap) + 4).contains('/'))";

  public static final int ENV_MAX_ENTRIES = 64;
  public static final int ENV_VALUE_MAX_LENGTH = 4096;

  /**
   * As a shell has them, so that a setting reads the same in a JS room, a Java room and a pod.
   * Checked by the validator only: the API server estimates a CEL rule's cost from length bounds,
   * and map keys have none, so a regex over them risks the CRD being refused as too expensive.
   */
  public static final String ENV_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

  @JsonPropertyDescription(
      "What the room runs: a built-in handler (example, echo, chat), the fully qualified name of"
          + " a Java class on the owner image's classpath implementing dev.dormouse.room.Room, or"
          + " js:<file>#<ExportName>: the class <ExportName> exported by the JavaScript module"
          + " <file> (relative to the owner's room library folder, ending .js or .mjs), run as a"
          + " Durable Object.")
  @Default(DEFAULT_HANDLER)
  @Pattern(HANDLER_PATTERN)
  @Size(max = HANDLER_MAX_LENGTH)
  private String handler = DEFAULT_HANDLER;

  @JsonPropertyDescription(
      "Where the room's code comes from when it is not in the owner image: a ConfigMap of"
          + " JavaScript modules.")
  private Code code;

  @JsonPropertyDescription("Owner pod image; defaults to the operator's configured owner image.")
  private String image;

  @JsonPropertyDescription(
      "When true the room also serves any number of named instances at"
          + " /rooms/{room}/{instance}, each an independent room with these settings.")
  @Default("false")
  private Boolean instances = false;

  @JsonPropertyDescription("When instances are evicted from memory and owner pods removed.")
  @Default("{}")
  private Hibernation hibernation = new Hibernation();

  @JsonPropertyDescription("How many owner pods run the room.")
  @Default("{}")
  private Owners owners = new Owners();

  @JsonPropertyDescription(
      "A request/response pair answered by the gateway without waking the room.")
  private AutoResponse autoResponse;

  @JsonPropertyDescription("Per-instance and per-connection limits.")
  @Default("{}")
  private Limits limits = new Limits();

  @JsonPropertyDescription(
      "Origins allowed to connect (exact match, e.g. https://app.example.com);"
          + " empty allows any origin.")
  @Size(max = 100)
  private List<String> allowedOrigins = new ArrayList<>();

  @JsonPropertyDescription("Optional token check at the gateway.")
  private Auth auth;

  @JsonPropertyDescription(
      "Settings handed to the room's code as they are: a JavaScript room's env, a Java room's"
          + " RoomContext.env(). At most 64, names as environment variables have them"
          + " ([A-Za-z_][A-Za-z0-9_]*), values of at most 4096 characters.")
  @Size(max = ENV_MAX_ENTRIES)
  private Map<String, @Size(max = ENV_VALUE_MAX_LENGTH) String> env;

  public String getHandler() {
    return handler;
  }

  public void setHandler(String handler) {
    this.handler = handler;
  }

  public Code getCode() {
    return code;
  }

  public void setCode(Code code) {
    this.code = code;
  }

  public Map<String, String> getEnv() {
    return env;
  }

  public void setEnv(Map<String, String> env) {
    this.env = env;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Boolean getInstances() {
    return instances;
  }

  public void setInstances(Boolean instances) {
    this.instances = instances;
  }

  public Hibernation getHibernation() {
    return hibernation;
  }

  public void setHibernation(Hibernation hibernation) {
    this.hibernation = hibernation;
  }

  public Owners getOwners() {
    return owners;
  }

  public void setOwners(Owners owners) {
    this.owners = owners;
  }

  public AutoResponse getAutoResponse() {
    return autoResponse;
  }

  public void setAutoResponse(AutoResponse autoResponse) {
    this.autoResponse = autoResponse;
  }

  public Limits getLimits() {
    return limits;
  }

  public void setLimits(Limits limits) {
    this.limits = limits;
  }

  public List<String> getAllowedOrigins() {
    return allowedOrigins;
  }

  public void setAllowedOrigins(List<String> allowedOrigins) {
    this.allowedOrigins = allowedOrigins;
  }

  public Auth getAuth() {
    return auth;
  }

  public void setAuth(Auth auth) {
    this.auth = auth;
  }
}
