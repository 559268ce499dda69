package dev.dormouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dormouse.crd.v1alpha1.Auth;
import dev.dormouse.crd.v1alpha1.JwtAlgorithm;
import dev.dormouse.crd.v1alpha1.SecretKeyRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {

  static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  static final String KEY = "0123456789abcdef0123456789abcdef";
  static final long NOW = 1_800_000_000L;

  @TempDir Path secrets;
  TokenVerifier verifier;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(secrets.resolve("jwt"));
    Files.writeString(secrets.resolve("jwt/hmac"), KEY);
    verifier = new TokenVerifier(new SecretFiles(secrets));
  }

  static Auth auth(JwtAlgorithm algorithm, String key) {
    Auth auth = new Auth();
    auth.setAlgorithm(algorithm);
    auth.setSecretRef(new SecretKeyRef("jwt", key));
    return auth;
  }

  static String hs256(String header, String claims, String key) throws Exception {
    String signed =
        B64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return signed
        + "."
        + B64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void acceptsAValidHs256TokenAndReturnsItsClaims() throws Exception {
    String token = hs256("{\"alg\":\"HS256\"}", "{\"sub\":\"u1\",\"exp\":" + (NOW + 60) + "}", KEY);
    assertThat(verifier.verify(token, auth(JwtAlgorithm.HS256, "hmac"), NOW))
        .containsEntry("sub", "u1");
  }

  @Test
  void refusesTokensThatChooseTheirOwnAlgorithm() throws Exception {
    String none =
        B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString("{}".getBytes(StandardCharsets.UTF_8))
            + ".";
    assertThatThrownBy(() -> verifier.verify(none, auth(JwtAlgorithm.HS256, "hmac"), NOW))
        .hasMessage("token algorithm must be HS256");
  }

  @Test
  void refusesExpiredNotYetValidAndForged() throws Exception {
    Auth auth = auth(JwtAlgorithm.HS256, "hmac");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    hs256("{\"alg\":\"HS256\"}", "{\"exp\":" + (NOW - 120) + "}", KEY), auth, NOW))
        .hasMessage("token expired");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    hs256("{\"alg\":\"HS256\"}", "{\"nbf\":" + (NOW + 120) + "}", KEY), auth, NOW))
        .hasMessage("token not yet valid");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    hs256("{\"alg\":\"HS256\"}", "{}", "another-key-another-key-another!"),
                    auth,
                    NOW))
        .hasMessage("bad signature");
    assertThatThrownBy(() -> verifier.verify("abc", auth, NOW)).hasMessage("malformed token");
    assertThatThrownBy(() -> verifier.verify(null, auth, NOW)).hasMessage("missing token");
  }

  @Test
  void checksIssuerAndAudience() throws Exception {
    Auth auth = auth(JwtAlgorithm.HS256, "hmac");
    auth.setIssuer("me");
    auth.setAudience("rooms");
    assertThat(
            verifier.verify(
                hs256("{\"alg\":\"HS256\"}", "{\"iss\":\"me\",\"aud\":[\"x\",\"rooms\"]}", KEY),
                auth,
                NOW))
        .containsKey("aud");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    hs256("{\"alg\":\"HS256\"}", "{\"iss\":\"you\",\"aud\":\"rooms\"}", KEY),
                    auth,
                    NOW))
        .hasMessage("wrong issuer");
    assertThatThrownBy(
            () ->
                verifier.verify(
                    hs256("{\"alg\":\"HS256\"}", "{\"iss\":\"me\",\"aud\":\"else\"}", KEY),
                    auth,
                    NOW))
        .hasMessage("wrong audience");
  }

  @Test
  void verifiesRs256WithAPemPublicKey() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Files.writeString(
        secrets.resolve("jwt/public.pem"),
        "-----BEGIN PUBLIC KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
            + "\n-----END PUBLIC KEY-----\n");
    String token = rs256("{\"sub\":\"u2\"}", pair.getPrivate());
    assertThat(verifier.verify(token, auth(JwtAlgorithm.RS256, "public.pem"), NOW))
        .containsEntry("sub", "u2");
    String tampered =
        token.substring(0, token.indexOf('.') + 1)
            + B64.encodeToString("{\"sub\":\"admin\"}".getBytes(StandardCharsets.UTF_8))
            + token.substring(token.lastIndexOf('.'));
    assertThatThrownBy(() -> verifier.verify(tampered, auth(JwtAlgorithm.RS256, "public.pem"), NOW))
        .hasMessage("bad signature");
  }

  @Test
  void missingKeyFileIsARefusalNotACrash() throws Exception {
    String token = hs256("{\"alg\":\"HS256\"}", "{}", KEY);
    assertThatThrownBy(() -> verifier.verify(token, auth(JwtAlgorithm.HS256, "absent"), NOW))
        .hasMessage("token key unavailable");
  }

  static String rs256(String claims, PrivateKey key) throws Exception {
    String signed =
        B64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
    Signature rsa = Signature.getInstance("SHA256withRSA");
    rsa.initSign(key);
    rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + B64.encodeToString(rsa.sign());
  }
}
