package net.rampart.rpki.rtr;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.RpkiDelta;
import net.rampart.rpki.SnapshotHistory;
import net.rampart.rpki.SnapshotHistory.Version;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import net.rampart.wire.rtr.CacheResponse;
import net.rampart.wire.rtr.EndOfData;
import net.rampart.wire.rtr.RouterKey;
import net.rampart.wire.rtr.RtrPduEncoder;

/**
 * Complete answers to Reset and Serial Queries, serialised once per (serial, protocol
 * version, starting serial) and shared by every client that asks: a full sync of 800 k
 * VRPs is one 17 MB array written to each socket without copying.
 */
final class RtrResponses {

    private record Key(int serial, int version, long fromSerial) {
    }

    private static final long FULL = -1;

    private final SnapshotHistory history;
    private final RtrTimers timers;
    private final Map<Key, byte[]> cache = new ConcurrentHashMap<>();
    private volatile int cachedSerial;

    RtrResponses(SnapshotHistory history, RtrTimers timers) {
        this.history = history;
        this.timers = timers;
    }

    /** Cache Response, the whole payload the version can carry, End of Data. */
    byte[] full(Version v, int protocolVersion) {
        return cached(new Key(v.serial(), protocolVersion, FULL), () -> {
            VrpSet vrps = v.snapshot().vrps();
            int length = 8 + EndOfData.LENGTH_V1;
            for (int i = 0; i < vrps.size(); i++) {
                length += vrps.isIpv6(i) ? 32 : 20;
            }
            if (protocolVersion >= 1) {
                for (RouterKeyRecord k : v.snapshot().routerKeys()) {
                    length += 32 + k.spki().length;
                }
            }
            if (protocolVersion >= 2) {
                for (AspaRecord a : v.snapshot().aspas()) {
                    length += 12 + 4 * a.providers().length;
                }
            }
            ByteBuffer out = ByteBuffer.allocate(length);
            RtrPduEncoder.encode(new CacheResponse(protocolVersion, v.sessionId()), out);
            for (int i = 0; i < vrps.size(); i++) {
                if (vrps.isIpv6(i)) {
                    RtrPduEncoder.writeIpv6Prefix(out, protocolVersion, true, vrps.prefixLength(i), vrps.maxLength(i),
                            vrps.high(i), vrps.low(i), vrps.asn(i));
                } else {
                    RtrPduEncoder.writeIpv4Prefix(out, protocolVersion, true, vrps.prefixLength(i), vrps.maxLength(i),
                            (int) (vrps.high(i) >>> 32), vrps.asn(i));
                }
            }
            if (protocolVersion >= 1) {
                for (RouterKeyRecord k : v.snapshot().routerKeys()) {
                    RtrPduEncoder.encode(new RouterKey(protocolVersion, true, k.ski(), k.asn(), k.spki()), out);
                }
            }
            if (protocolVersion >= 2) {
                for (AspaRecord a : v.snapshot().aspas()) {
                    RtrPduEncoder.writeAspa(out, protocolVersion, true, a.customer(), a.providersAsInts());
                }
            }
            RtrPduEncoder.encode(endOfData(v, protocolVersion), out);
            return trim(out);
        });
    }

    /** The incremental answer from {@code fromSerial} to the current serial, or empty when it is not retained. */
    Optional<byte[]> incremental(Version v, int protocolVersion, int fromSerial) {
        Key key = new Key(v.serial(), protocolVersion, Integer.toUnsignedLong(fromSerial));
        byte[] hit = cache.get(key);
        if (hit != null) {
            return Optional.of(hit);
        }
        Optional<RpkiDelta> delta = history.diff(fromSerial, v.serial());
        return delta.map(d -> cached(key, () -> encodeDelta(v, protocolVersion, d)));
    }

    private byte[] encodeDelta(Version v, int protocolVersion, RpkiDelta d) {
        int length = 8 + EndOfData.LENGTH_V1 + 32 * (d.announcedVrps().size() + d.withdrawnVrps().size());
        if (protocolVersion >= 1) {
            for (RouterKeyRecord k : d.announcedKeys()) {
                length += 32 + k.spki().length;
            }
            for (RouterKeyRecord k : d.withdrawnKeys()) {
                length += 32 + k.spki().length;
            }
        }
        if (protocolVersion >= 2) {
            length += 12 * d.withdrawnAspas().size();
            for (AspaRecord a : d.announcedAspas()) {
                length += 12 + 4 * a.providers().length;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        RtrPduEncoder.encode(new CacheResponse(protocolVersion, v.sessionId()), out);
        for (Vrp w : d.withdrawnVrps()) {
            writeVrp(out, protocolVersion, false, w);
        }
        for (Vrp a : d.announcedVrps()) {
            writeVrp(out, protocolVersion, true, a);
        }
        if (protocolVersion >= 1) {
            for (RouterKeyRecord k : d.withdrawnKeys()) {
                RtrPduEncoder.encode(new RouterKey(protocolVersion, false, k.ski(), k.asn(), k.spki()), out);
            }
            for (RouterKeyRecord k : d.announcedKeys()) {
                RtrPduEncoder.encode(new RouterKey(protocolVersion, true, k.ski(), k.asn(), k.spki()), out);
            }
        }
        if (protocolVersion >= 2) {
            // An ASPA announcement replaces the customer's previous one; withdraw only customers that are gone.
            Set<Long> reannounced = new HashSet<>();
            d.announcedAspas().forEach(a -> reannounced.add(a.customer()));
            for (AspaRecord w : d.withdrawnAspas()) {
                if (!reannounced.contains(w.customer())) {
                    RtrPduEncoder.writeAspa(out, protocolVersion, false, w.customer(), new int[0]);
                }
            }
            for (AspaRecord a : d.announcedAspas()) {
                RtrPduEncoder.writeAspa(out, protocolVersion, true, a.customer(), a.providersAsInts());
            }
        }
        RtrPduEncoder.encode(endOfData(v, protocolVersion), out);
        return trim(out);
    }

    private static void writeVrp(ByteBuffer out, int protocolVersion, boolean announce, Vrp vrp) {
        switch (vrp.prefix()) {
            case Ipv4Prefix p -> RtrPduEncoder.writeIpv4Prefix(out, protocolVersion, announce, p.length(),
                    vrp.maxLength(), p.address(), vrp.asn());
            case Ipv6Prefix p -> RtrPduEncoder.writeIpv6Prefix(out, protocolVersion, announce, p.length(),
                    vrp.maxLength(), p.high(), p.low(), vrp.asn());
        }
    }

    EndOfData endOfData(Version v, int protocolVersion) {
        return protocolVersion == 0 ? EndOfData.v0(v.sessionId(), v.serial())
                : new EndOfData(protocolVersion, v.sessionId(), v.serial(), timers.refresh(), timers.retry(),
                        timers.expire());
    }

    private byte[] cached(Key key, java.util.function.Supplier<byte[]> build) {
        if (cachedSerial != key.serial()) {
            synchronized (this) {
                if (cachedSerial != key.serial()) {
                    cache.clear();
                    cachedSerial = key.serial();
                }
            }
        }
        return cache.computeIfAbsent(key, k -> build.get());
    }

    private static byte[] trim(ByteBuffer out) {
        return out.position() == out.capacity() ? out.array() : java.util.Arrays.copyOf(out.array(), out.position());
    }
}
