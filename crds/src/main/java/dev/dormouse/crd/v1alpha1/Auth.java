package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;

/** A JWT check at the gateway before the upgrade; failures get 401. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Auth {

  public static final String DEFAULT_QUERY_PARAMETER = "access_token";

  @JsonPropertyDescription("Signature algorithm of accepted tokens.")
  @Default("HS256")
  private JwtAlgorithm algorithm = JwtAlgorithm.HS256;

  @JsonPropertyDescription(
      "Secret holding the HS256 key, or the RS256 public key in PEM form. Gateways"
          + " read it from the Secret mounted at <secretsDir>/<name>/<key>.")
  @Required
  private SecretKeyRef secretRef;

  @JsonPropertyDescription("Required 'iss' claim, if set.")
  private String issuer;

  @JsonPropertyDescription("Required 'aud' claim, if set.")
  private String audience;

  @JsonPropertyDescription(
      "Query parameter carrying the token when no 'Authorization: Bearer' header is sent"
          + " (browsers cannot set headers on WebSocket requests).")
  @Default(DEFAULT_QUERY_PARAMETER)
  private String queryParameter = DEFAULT_QUERY_PARAMETER;

  public JwtAlgorithm getAlgorithm() {
    return algorithm;
  }

  public void setAlgorithm(JwtAlgorithm algorithm) {
    this.algorithm = algorithm;
  }

  public SecretKeyRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyRef secretRef) {
    this.secretRef = secretRef;
  }

  public String getIssuer() {
    return issuer;
  }

  public void setIssuer(String issuer) {
    this.issuer = issuer;
  }

  public String getAudience() {
    return audience;
  }

  public void setAudience(String audience) {
    this.audience = audience;
  }

  public String getQueryParameter() {
    return queryParameter;
  }

  public void setQueryParameter(String queryParameter) {
    this.queryParameter = queryParameter;
  }
}
