package net.rampart.server.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A token's secret: {@code rmp_} and 32 random bytes in URL-safe base64, so that a leaked token
 * is recognisable in logs and by secret scanners. Only its SHA-256 is stored; a fast hash is
 * enough because the secret has 256 bits of entropy and cannot be guessed from its hash.
 */
public record ApiTokenSecret(String id, String secret) {

    static final String PREFIX = "rmp_";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static ApiTokenSecret generate() {
        byte[] id = new byte[5];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        return new ApiTokenSecret(HexFormat.of().formatHex(id),
                PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    public byte[] hash() {
        return hash(secret);
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Whether {@code text} has the shape of a secret this class makes; anything else is refused unhashed. */
    public static boolean looksLikeSecret(String text) {
        return text.length() == PREFIX.length() + 43 && text.startsWith(PREFIX)
                && text.chars().skip(PREFIX.length()).allMatch(ApiTokenSecret::isBase64Url);
    }

    private static boolean isBase64Url(int c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
    }

    @Override
    public String toString() {
        return "ApiTokenSecret[" + id + "]";
    }
}
