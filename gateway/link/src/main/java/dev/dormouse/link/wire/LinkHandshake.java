package dev.dormouse.link.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mutual proof of the shared secret. The owner challenges with a nonce, the gateway answers with an
 * HMAC over both nonces and its id and challenges back, the owner answers with its own HMAC. Labels
 * keep the two proofs apart, so a fake owner cannot reflect the gateway's proof back at it; fresh
 * nonces on both sides make a recorded handshake worthless.
 */
final class LinkHandshake {

  static final int VERSION = 1;
  static final int NONCE_BYTES = 32;

  private static final String ALGORITHM = "HmacSHA256";
  private static final byte[] GATEWAY_LABEL =
      "dormouse-link/1 gateway\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OWNER_LABEL =
      "dormouse-link/1 owner\0".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  LinkHandshake(byte[] secret) {
    if (secret == null || secret.length == 0) {
      throw new IllegalArgumentException("the link secret must not be empty");
    }
    key = new SecretKeySpec(secret, ALGORITHM);
  }

  static byte[] nonce() {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  byte[] gatewayProof(byte[] ownerNonce, byte[] gatewayNonce, String gatewayId) {
    return mac(GATEWAY_LABEL, ownerNonce, gatewayNonce, gatewayId);
  }

  byte[] ownerProof(byte[] ownerNonce, byte[] gatewayNonce, String ownerId) {
    return mac(OWNER_LABEL, ownerNonce, gatewayNonce, ownerId);
  }

  /** Compares in constant time, so the time to refuse tells nothing about how close a guess was. */
  static boolean matches(byte[] expected, byte[] actual) {
    return MessageDigest.isEqual(expected, actual);
  }

  private byte[] mac(byte[] label, byte[] ownerNonce, byte[] gatewayNonce, String id) {
    // Both nonces have a fixed length (checked on receipt), so the concatenation is unambiguous.
    if (ownerNonce.length != NONCE_BYTES || gatewayNonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("nonces must be " + NONCE_BYTES + " bytes");
    }
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      mac.update(label);
      mac.update(ownerNonce);
      mac.update(gatewayNonce);
      return mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
    }
  }
}
