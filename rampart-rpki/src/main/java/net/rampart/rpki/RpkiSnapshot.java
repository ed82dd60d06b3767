package net.rampart.rpki;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * The canonical payload a cache serves: VRPs, ASPAs (one per customer) and router keys,
 * each sorted and deduplicated, with a SHA-256 hash over that canonical form so that equal
 * content always hashes equally, whatever order or source it came from.
 */
public final class RpkiSnapshot {

    private static final RpkiSnapshot EMPTY = new RpkiSnapshot(VrpSet.empty(), List.of(), List.of());

    private final VrpSet vrps;
    private final List<AspaRecord> aspas;
    private final List<RouterKeyRecord> routerKeys;
    private final String hash;

    private RpkiSnapshot(VrpSet vrps, List<AspaRecord> aspas, List<RouterKeyRecord> routerKeys) {
        this.vrps = vrps;
        this.aspas = aspas;
        this.routerKeys = routerKeys;
        this.hash = computeHash();
    }

    public static RpkiSnapshot empty() {
        return EMPTY;
    }

    /**
     * Canonicalises the payload: ASPAs of the same customer merge into one whose providers
     * are the union; router keys are deduplicated.
     */
    public static RpkiSnapshot of(VrpSet vrps, Collection<AspaRecord> aspas, Collection<RouterKeyRecord> routerKeys) {
        TreeMap<Long, java.util.TreeSet<Long>> byCustomer = new TreeMap<>();
        for (AspaRecord a : aspas) {
            java.util.TreeSet<Long> providers = byCustomer.computeIfAbsent(a.customer(), c -> new java.util.TreeSet<>());
            for (long p : a.providers()) {
                providers.add(p);
            }
        }
        List<AspaRecord> mergedAspas = new ArrayList<>(byCustomer.size());
        byCustomer.forEach((c, p) -> mergedAspas.add(
                new AspaRecord(c, p.stream().mapToLong(Long::longValue).toArray())));
        List<RouterKeyRecord> keys = routerKeys.stream().distinct().sorted().toList();
        return new RpkiSnapshot(vrps, List.copyOf(mergedAspas), keys);
    }

    public VrpSet vrps() {
        return vrps;
    }

    public List<AspaRecord> aspas() {
        return aspas;
    }

    public List<RouterKeyRecord> routerKeys() {
        return routerKeys;
    }

    /** Hex SHA-256 of the canonical content. */
    public String hash() {
        return hash;
    }

    public boolean isEmpty() {
        return vrps.isEmpty() && aspas.isEmpty() && routerKeys.isEmpty();
    }

    private String computeHash() {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        buf.putInt(vrps.size());
        for (int i = 0; i < vrps.size(); i++) {
            if (buf.remaining() < 32) {
                flush(sha, buf);
            }
            buf.put((byte) (vrps.isIpv6(i) ? 6 : 4)).putLong(vrps.high(i)).putLong(vrps.low(i))
                    .put((byte) vrps.prefixLength(i)).put((byte) vrps.maxLength(i)).putInt((int) vrps.asn(i));
        }
        flush(sha, buf);
        buf.putInt(aspas.size());
        for (AspaRecord a : aspas) {
            flush(sha, buf);
            long[] providers = a.providers();
            sha.update(ByteBuffer.allocate(8 + 4 * providers.length).putInt((int) a.customer())
                    .putInt(providers.length).array());
            for (long p : providers) {
                sha.update(ByteBuffer.allocate(4).putInt((int) p).array());
            }
        }
        flush(sha, buf);
        sha.update(ByteBuffer.allocate(4).putInt(routerKeys.size()).array());
        for (RouterKeyRecord k : routerKeys) {
            sha.update(ByteBuffer.allocate(8).putInt((int) k.asn()).putInt(k.spki().length).array());
            sha.update(k.ski());
            sha.update(k.spki());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void flush(MessageDigest sha, ByteBuffer buf) {
        buf.flip();
        sha.update(buf);
        buf.clear();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RpkiSnapshot s && s.hash.equals(hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "RpkiSnapshot[" + vrps.size() + " VRPs, " + aspas.size() + " ASPAs, " + routerKeys.size()
                + " router keys, " + hash.substring(0, 12) + "]";
    }
}
