package dev.dormouse.gateway;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dormouse.crd.v1alpha1.Auth;
import dev.dormouse.crd.v1alpha1.JwtAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a client's JWT against a room's {@code spec.auth}: the algorithm is the room's, never the
 * token's own choice; signature, expiry, not-before, issuer and audience are checked.
 */
final class TokenVerifier {

  /** Clock skew tolerated between the token issuer and this gateway. */
  private static final long LEEWAY_SECONDS = 30;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

  /** Why a token was refused; the message goes back to the client in the 401 body. */
  static final class InvalidTokenException extends Exception {
    InvalidTokenException(String message) {
      super(message);
    }
  }

  private final SecretFiles secrets;

  TokenVerifier(SecretFiles secrets) {
    this.secrets = secrets;
  }

  /** The token's claims when it is valid for the room. */
  Map<String, Object> verify(String token, Auth auth, long nowSeconds)
      throws InvalidTokenException {
    if (token == null || token.isEmpty()) {
      throw new InvalidTokenException("missing token");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new InvalidTokenException("malformed token");
    }
    Map<String, Object> header = json(parts[0]);
    if (!auth.getAlgorithm().name().equals(header.get("alg"))) {
      throw new InvalidTokenException("token algorithm must be " + auth.getAlgorithm());
    }
    byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    byte[] signature = decode(parts[2]);
    if (!signatureValid(auth, signed, signature)) {
      throw new InvalidTokenException("bad signature");
    }
    Map<String, Object> claims = json(parts[1]);
    if (claims.get("exp") instanceof Number exp && nowSeconds > exp.longValue() + LEEWAY_SECONDS) {
      throw new InvalidTokenException("token expired");
    }
    if (claims.get("nbf") instanceof Number nbf && nowSeconds + LEEWAY_SECONDS < nbf.longValue()) {
      throw new InvalidTokenException("token not yet valid");
    }
    if (auth.getIssuer() != null && !auth.getIssuer().equals(claims.get("iss"))) {
      throw new InvalidTokenException("wrong issuer");
    }
    if (auth.getAudience() != null && !audienceMatches(claims.get("aud"), auth.getAudience())) {
      throw new InvalidTokenException("wrong audience");
    }
    return claims;
  }

  private static boolean audienceMatches(Object aud, String expected) {
    if (aud instanceof String single) {
      return single.equals(expected);
    }
    return aud instanceof Collection<?> many && many.contains(expected);
  }

  private boolean signatureValid(Auth auth, byte[] signed, byte[] signature)
      throws InvalidTokenException {
    byte[] key;
    try {
      key = secrets.read(auth.getSecretRef().getName(), auth.getSecretRef().getKey());
    } catch (IOException e) {
      throw new InvalidTokenException("token key unavailable");
    }
    try {
      if (auth.getAlgorithm() == JwtAlgorithm.HS256) {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return MessageDigest.isEqual(mac.doFinal(signed), signature);
      }
      Signature rsa = Signature.getInstance("SHA256withRSA");
      rsa.initVerify(publicKey(new String(key, StandardCharsets.US_ASCII)));
      rsa.update(signed);
      return rsa.verify(signature);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static PublicKey publicKey(String pem) throws GeneralSecurityException {
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA")
        .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  private static byte[] decode(String part) throws InvalidTokenException {
    try {
      return B64URL.decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("malformed token");
    }
  }

  private static Map<String, Object> json(String part) throws InvalidTokenException {
    try {
      return JSON.readValue(decode(part), new TypeReference<Map<String, Object>>() {});
    } catch (IOException e) {
      throw new InvalidTokenException("malformed token");
    }
  }
}
