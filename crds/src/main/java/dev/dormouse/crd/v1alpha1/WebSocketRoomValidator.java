package dev.dormouse.crd.v1alpha1;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The schema's rules in Java, for the places the API server's validation does not reach: room files
 * read by the local run, and the operator (a test API server, or a CRD installed without its schema).
 */
public final class WebSocketRoomValidator {

  /** Room names appear in URL paths and pod labels, so they are DNS labels. */
  private static final Pattern NAME = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

  private static final Pattern HANDLER = Pattern.compile(WebSocketRoomSpec.HANDLER_PATTERN);
  private static final Pattern SECRET_NAME = Pattern.compile(SecretKeyRef.NAME_PATTERN);
  private static final Pattern CONFIG_MAP_NAME = SECRET_NAME;
  private static final Pattern ENV_NAME = Pattern.compile(WebSocketRoomSpec.ENV_NAME_PATTERN);
  private static final Pattern SECRET_KEY = Pattern.compile(SecretKeyRef.KEY_PATTERN);

  private final List<Violation> violations = new ArrayList<>();

  private WebSocketRoomValidator() {}

  public static List<Violation> validate(WebSocketRoom room) {
    WebSocketRoomValidator v = new WebSocketRoomValidator();
    String name = room.getMetadata() == null ? null : room.getMetadata().getName();
    if (name == null || !NAME.matcher(name).matches()) {
      v.add(
          "metadata.name",
          "must be a DNS label (lower-case letters, digits and '-', at most 63), got "
              + quote(name));
    }
    if (room.getSpec() == null) {
      v.add("spec", "is required");
    } else {
      v.spec(room.getSpec());
    }
    return List.copyOf(v.violations);
  }

  /** Validates and throws {@link InvalidRoomException} naming every violation. */
  public static void requireValid(WebSocketRoom room) {
    List<Violation> found = validate(room);
    if (!found.isEmpty()) {
      throw new InvalidRoomException(found);
    }
  }

  private void spec(WebSocketRoomSpec spec) {
    handler(spec.getHandler());
    if (spec.getCode() != null) {
      code(spec.getCode(), spec.getHandler());
    }
    env(spec.getEnv());
    Hibernation h = spec.getHibernation();
    if (h != null) {
      duration("spec.hibernation.idleTimeout", h.getIdleTimeout());
      if (h.getScaleToZeroAfter() != null && !Hibernation.NEVER.equals(h.getScaleToZeroAfter())) {
        duration("spec.hibernation.scaleToZeroAfter", h.getScaleToZeroAfter());
      }
    }
    Owners o = spec.getOwners();
    if (o != null) {
      range("spec.owners.minReplicas", o.getMinReplicas(), 0, Owners.REPLICAS_LIMIT);
      range("spec.owners.maxReplicas", o.getMaxReplicas(), 1, Owners.REPLICAS_LIMIT);
      range(
          "spec.owners.activeInstancesPerOwner",
          o.getActiveInstancesPerOwner(),
          1,
          Integer.MAX_VALUE);
      if (o.getMinReplicas() != null
          && o.getMaxReplicas() != null
          && o.getMinReplicas() > o.getMaxReplicas()) {
        add(
            "spec.owners.minReplicas",
            "must not exceed spec.owners.maxReplicas ("
                + o.getMinReplicas()
                + " > "
                + o.getMaxReplicas()
                + ")");
      }
    }
    if (spec.getAutoResponse() != null) {
      autoResponse(spec.getAutoResponse());
    }
    Limits l = spec.getLimits();
    if (l != null) {
      range("spec.limits.maxConnections", l.getMaxConnections(), 1, Limits.MAX_CONNECTIONS_LIMIT);
      range(
          "spec.limits.maxMessageBytes", l.getMaxMessageBytes(), 1, Limits.MAX_MESSAGE_BYTES_LIMIT);
      range(
          "spec.limits.maxAttachmentBytes",
          l.getMaxAttachmentBytes(),
          0,
          Limits.MAX_ATTACHMENT_BYTES_LIMIT);
      range(
          "spec.limits.maxTagsPerConnection",
          l.getMaxTagsPerConnection(),
          0,
          Limits.MAX_TAGS_LIMIT);
      range("spec.limits.maxTagBytes", l.getMaxTagBytes(), 1, Limits.MAX_TAG_BYTES_LIMIT);
      range(
          "spec.limits.wakeBufferMessages", l.getWakeBufferMessages(), 0, Limits.WAKE_BUFFER_LIMIT);
      duration("spec.limits.eventTimeout", l.getEventTimeout());
      range(
          "spec.limits.messagesPerSecond", l.getMessagesPerSecond(), 1, Limits.MESSAGES_RATE_LIMIT);
      range("spec.limits.messagesBurst", l.getMessagesBurst(), 1, Limits.MESSAGES_RATE_LIMIT);
      range("spec.limits.bytesPerSecond", l.getBytesPerSecond(), 1, Limits.BYTES_RATE_LIMIT);
      range("spec.limits.bytesBurst", l.getBytesBurst(), 1, Limits.BYTES_RATE_LIMIT);
      range(
          "spec.limits.maxStorageValueBytes",
          l.getMaxStorageValueBytes(),
          1,
          Limits.MAX_STORAGE_VALUE_BYTES_LIMIT);
      burstHoldsTheLargestMessage(l);
    }
    List<String> origins = spec.getAllowedOrigins();
    if (origins != null) {
      for (int i = 0; i < origins.size(); i++) {
        String origin = origins.get(i);
        if (origin == null || origin.isBlank() || origin.endsWith("/")) {
          add(
              "spec.allowedOrigins[" + i + "]",
              "must be an origin such as https://app.example.com, got " + quote(origin));
        }
      }
    }
    if (spec.getAuth() != null) {
      auth(spec.getAuth());
    }
  }

  private void handler(String handler) {
    if (handler != null && handler.length() > WebSocketRoomSpec.HANDLER_MAX_LENGTH) {
      add(
          "spec.handler",
          "must be at most " + WebSocketRoomSpec.HANDLER_MAX_LENGTH + " characters");
    } else if (JsHandler.isJs(handler)) {
      JsHandler.problems(handler).forEach(problem -> add("spec.handler", problem));
    } else if (handler == null || !HANDLER.matcher(handler).matches()) {
      add(
          "spec.handler",
          "must be a built-in handler, a Java class name or js:<file>#<ExportName>, got "
              + quote(handler));
    } else if (!handler.contains(".") && !WebSocketRoomSpec.BUILT_IN_HANDLERS.contains(handler)) {
      add(
          "spec.handler",
          "unknown built-in handler "
              + quote(handler)
              + " (built-ins: example, echo, chat; or a fully qualified class name)");
    }
  }

  /** A ConfigMap's keys are the files of its folder: the module is NAME/key, nothing deeper. */
  private void code(Code code, String handler) {
    String name = code.getConfigMap();
    if (name == null) {
      add("spec.code.configMap", "is required");
      return;
    }
    if (name.length() > Code.NAME_MAX_LENGTH || !CONFIG_MAP_NAME.matcher(name).matches()) {
      add(
          "spec.code.configMap",
          "must be a ConfigMap name (lower-case letters, digits, '-' and '.', at most "
              + Code.NAME_MAX_LENGTH
              + "), got "
              + quote(name));
      return;
    }
    if (!JsHandler.isJs(handler)) {
      add(
          "spec.handler",
          "must be js:"
              + name
              + "/<key>#<ExportName> with spec.code.configMap: the ConfigMap holds JavaScript"
              + " modules, got "
              + quote(handler));
      return;
    }
    String file = JsHandler.file(handler);
    String prefix = name + "/";
    if (!file.startsWith(prefix) || file.indexOf('/', prefix.length()) >= 0) {
      add(
          "spec.handler",
          "module file "
              + quote(file)
              + " is not a key of ConfigMap "
              + quote(name)
              + ": it is mounted at "
              + Code.LIB_DIR
              + "/"
              + name
              + "/, so the handler is js:"
              + name
              + "/<key>#<ExportName>");
    }
  }

  private void env(Map<String, String> env) {
    if (env == null) {
      return;
    }
    if (env.size() > WebSocketRoomSpec.ENV_MAX_ENTRIES) {
      add(
          "spec.env",
          "must have at most " + WebSocketRoomSpec.ENV_MAX_ENTRIES + " entries, got " + env.size());
    }
    new TreeMap<>(env)
        .forEach(
            (name, value) -> {
              if (!ENV_NAME.matcher(name).matches()) {
                add(
                    "spec.env",
                    "name "
                        + quote(name)
                        + " must be an environment variable name (letters, digits and '_', not"
                        + " starting with a digit)");
              }
              if (value != null && value.length() > WebSocketRoomSpec.ENV_VALUE_MAX_LENGTH) {
                add(
                    "spec.env." + name,
                    "must be at most "
                        + WebSocketRoomSpec.ENV_VALUE_MAX_LENGTH
                        + " characters, got "
                        + value.length());
              }
            });
  }

  private void autoResponse(AutoResponse a) {
    if ((a.getRequest() == null) != (a.getResponse() == null)) {
      add("spec.autoResponse", "request and response must be set together");
    }
    if ((a.getRequestBinary() == null) != (a.getResponseBinary() == null)) {
      add("spec.autoResponse", "requestBinary and responseBinary must be set together");
    }
    if (a.getRequest() != null && a.getRequest().isEmpty()) {
      add("spec.autoResponse.request", "must not be empty");
    }
    length("spec.autoResponse.request", a.getRequest());
    length("spec.autoResponse.response", a.getResponse());
    base64("spec.autoResponse.requestBinary", a.getRequestBinary());
    base64("spec.autoResponse.responseBinary", a.getResponseBinary());
  }

  private void auth(Auth auth) {
    if (auth.getAlgorithm() == null) {
      add("spec.auth.algorithm", "must be HS256 or RS256");
    }
    SecretKeyRef ref = auth.getSecretRef();
    if (ref == null) {
      add("spec.auth.secretRef", "is required");
      return;
    }
    if (ref.getName() == null || !SECRET_NAME.matcher(ref.getName()).matches()) {
      add("spec.auth.secretRef.name", "must be a Secret name, got " + quote(ref.getName()));
    }
    if (ref.getKey() == null || !SECRET_KEY.matcher(ref.getKey()).matches()) {
      add("spec.auth.secretRef.key", "must be a Secret key, got " + quote(ref.getKey()));
    }
  }

  /** A message is counted whole: one larger than the burst could never be sent. */
  private void burstHoldsTheLargestMessage(Limits l) {
    int largest =
        l.getMaxMessageBytes() == null ? Limits.DEFAULT_MAX_MESSAGE_BYTES : l.getMaxMessageBytes();
    int burst = l.getBytesBurst() == null ? Limits.DEFAULT_BYTES_BURST : l.getBytesBurst();
    if (burst < largest) {
      add(
          "spec.limits.bytesBurst",
          "must be at least spec.limits.maxMessageBytes (" + largest + "), got " + burst);
    }
  }

  private void range(String field, Integer value, int min, int max) {
    if (value == null) {
      return;
    }
    if (value < min) {
      add(field, "must be at least " + min + ", got " + value);
    } else if (value > max) {
      add(field, "must be at most " + max + ", got " + value);
    }
  }

  private void duration(String field, String value) {
    if (value != null && !Durations.isValid(value)) {
      add(field, "must be a duration such as 500ms, 10s or 1m30s, got " + quote(value));
    }
  }

  private void length(String field, String text) {
    if (text != null && text.length() > AutoResponse.MAX_LENGTH) {
      add(field, "must be at most " + AutoResponse.MAX_LENGTH + " characters");
    }
  }

  private void base64(String field, String value) {
    if (value == null) {
      return;
    }
    try {
      if (Base64.getDecoder().decode(value).length == 0) {
        add(field, "must not be empty");
      }
    } catch (IllegalArgumentException e) {
      add(field, "must be base64, got " + quote(value));
    }
  }

  private void add(String field, String message) {
    violations.add(new Violation(field, message));
  }

  private static String quote(String value) {
    return value == null ? "nothing" : "'" + value + "'";
  }
}
