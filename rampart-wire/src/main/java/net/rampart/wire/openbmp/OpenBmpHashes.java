package net.rampart.wire.openbmp;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The MD5 hashes by which OpenBMP's raw frames name their collector and router.
 *
 * <p>The collector hash is the MD5 of the admin id's bytes, as every OpenBMP producer computes
 * it. The router hash is the MD5 of the router's address bytes (4 or 16), which is what the
 * OpenBMP collector's frames carry for an IPv4 router with no zero byte in its address (as in
 * every RouteViews frame). That collector hashes the bytes only up to the first zero byte, so
 * that 10.0.0.1 and 10.0.0.2 would share a hash; Rampart hashes them all, so that no two
 * routers do. Consumers should tell routers apart by their address, not their hash: gobmp
 * hashes the address's text instead.
 */
public final class OpenBmpHashes {

    private OpenBmpHashes() {
    }

    /** The collector hash of an admin id. */
    public static byte[] collector(String adminId) {
        return md5(adminId.getBytes(StandardCharsets.UTF_8));
    }

    /** The router hash of a router's address. */
    public static byte[] router(InetAddress router) {
        return md5(router.getAddress());
    }

    private static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5 (MessageDigest's specification).
            throw new IllegalStateException(e);
        }
    }
}
