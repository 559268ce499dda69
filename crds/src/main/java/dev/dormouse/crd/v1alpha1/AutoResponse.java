package dev.dormouse.crd.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.request) == has(self.response)",
    message = "autoResponse.request and autoResponse.response must be set together")
@ValidationRule(
    value = "has(self.requestBinary) == has(self.responseBinary)",
    message = "autoResponse.requestBinary and autoResponse.responseBinary must be set together")
public class AutoResponse {

  public static final int MAX_LENGTH = 2048;

  @JsonPropertyDescription(
      "A text message that the gateway answers itself, without waking the room.")
  @Size(min = 1, max = MAX_LENGTH)
  private String request;

  @JsonPropertyDescription("The text sent back for request.")
  @Size(max = MAX_LENGTH)
  private String response;

  @JsonPropertyDescription("A binary message (base64) that the gateway answers itself.")
  @Size(min = 1, max = MAX_LENGTH)
  private String requestBinary;

  @JsonPropertyDescription("The binary message (base64) sent back for requestBinary.")
  @Size(max = MAX_LENGTH)
  private String responseBinary;

  public AutoResponse() {}

  public AutoResponse(String request, String response) {
    this.request = request;
    this.response = response;
  }

  public String getRequest() {
    return request;
  }

  public void setRequest(String request) {
    this.request = request;
  }

  public String getResponse() {
    return response;
  }

  public void setResponse(String response) {
    this.response = response;
  }

  public String getRequestBinary() {
    return requestBinary;
  }

  public void setRequestBinary(String requestBinary) {
    this.requestBinary = requestBinary;
  }

  public String getResponseBinary() {
    return responseBinary;
  }

  public void setResponseBinary(String responseBinary) {
    this.responseBinary = responseBinary;
  }
}
