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
    message = "handler must be a built-in (example, echo, chat) or a fully qualified class name")
public class WebSocketRoomSpec {

  public static final String DEFAULT_HANDLER = "example";
  public static final java.util.Set<String> BUILT_IN_HANDLERS =
      java.util.Set.of("example", "echo", "chat");

  /** A built-in handler name or a fully qualified Java class name. */
  public static final String HANDLER_PATTERN =
      "^[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*$";

  @JsonPropertyDescription(
      "What the room runs: a built-in handler (example, echo, chat) or the fully"
          + " qualified name of a Java class on the owner image's classpath implementing dev.dormouse.room.Room.")
  @Default(DEFAULT_HANDLER)
  @Pattern(HANDLER_PATTERN)
  private String handler = DEFAULT_HANDLER;

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
          + " RoomContext.env().")
  private Map<String, String> env;

  public String getHandler() {
    return handler;
  }

  public void setHandler(String handler) {
    this.handler = handler;
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
