package net.rampart.collector.history;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.rampart.collector.rib.AsPath;
import net.rampart.collector.rib.EvpnRouteKey;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
import net.rampart.collector.rib.LabeledPrefix;
import net.rampart.collector.rib.OpaqueNlri;
import net.rampart.collector.rib.PathAttributes;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.PeerType;
import net.rampart.collector.rib.RawAttribute;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteEvent;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteMarking;
import net.rampart.collector.rib.RouteSource;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.ByteSink;

/**
 * The spool's binary form of a batch of route events. Routers, peers and attribute sets are
 * written once per batch in tables and referenced by index, since a batch mostly repeats them.
 * Decoded attribute sets are fresh (not interned) instances: the history store only reads them.
 * The encoding of one attribute set is public: the history store keeps it, and its hash, as
 * the full-fidelity form of each set it stores once.
 */
public final class RouteEventCodec {
    /**
     * Version 4 adds the BMP route markings of attribute sets, in a table after the events, so
     * that a version 4 record is a version 3 record with that table appended; version 3 adds
     * labeled and VPN prefix keys (older versions wrote those as opaque keys, and decode as
     * such); version 2 adds each event's session; version 1 records, from before sessions,
     * still decode (session 0). Records before version 4 decode without markings.
     */
    private static final int VERSION = 4;
    private static final int VERSION_WITHOUT_MARKINGS = 3;
    private static final int VERSION_WITHOUT_LABELED_KEYS = 2;
    private static final int VERSION_WITHOUT_SESSIONS = 1;
    private static final int KEY_IPV4 = 4;
    private static final int KEY_IPV6 = 6;
    private static final int KEY_LABELED = 'L';
    private static final int KEY_EVPN = 'E';
    private static final int KEY_OPAQUE = 'O';
    private static final RibView[] VIEWS = RibView.values();
    /** What a truncated record's error names. */
    private static final String FIELD = "spool record";

    private RouteEventCodec() {
    }

    static byte[] encode(List<RouteEvent> events) {
        int n = events.size();
        Map<RouterId, Integer> routers = new LinkedHashMap<>();
        Map<PeerKey, Integer> peers = new LinkedHashMap<>();
        Map<PathAttributes, Integer> attributes = new IdentityHashMap<>();
        List<PathAttributes> attributeOrder = new ArrayList<>();
        // Events come in runs of one router, one peer and often one attribute set: the last of
        // each is compared by identity before a table is asked, once per event.
        int[] routerOf = new int[n];
        int[] peerOf = new int[n];
        int[] attributesOf = new int[n];
        RouterId router = null;
        PeerKey peer = null;
        PathAttributes set = null;
        int routerIndex = -1;
        int peerIndex = -1;
        int setIndex = -1;
        for (int i = 0; i < n; i++) {
            RouteEvent e = events.get(i);
            if (e.router() != router) {
                router = e.router();
                routerIndex = routers.computeIfAbsent(router, r -> routers.size());
            }
            if (e.peer() != peer) {
                peer = e.peer();
                peerIndex = peers.computeIfAbsent(peer, k -> peers.size());
            }
            if (e.attributes() == null) {
                attributesOf[i] = -1;
            } else {
                if (e.attributes() != set) {
                    set = e.attributes();
                    setIndex = attributes.computeIfAbsent(set, a -> {
                        attributeOrder.add(a);
                        return attributeOrder.size() - 1;
                    });
                }
                attributesOf[i] = setIndex;
            }
            routerOf[i] = routerIndex;
            peerOf[i] = peerIndex;
        }
        ByteSink out = new ByteSink(64 + n * 48 + attributeOrder.size() * 96);
        out.u8(VERSION);
        out.u32(routers.size());
        for (RouterId r : routers.keySet()) {
            utf(out, r.name());
        }
        out.u32(peers.size());
        for (PeerKey p : peers.keySet()) {
            out.u8(p.type().code());
            out.i64(p.distinguisher());
            bytesOrNull(out, p.address().getAddress());
        }
        out.u32(attributeOrder.size());
        for (PathAttributes a : attributeOrder) {
            writeAttributes(out, a);
        }
        out.u32(n);
        for (int i = 0; i < n; i++) {
            RouteEvent e = events.get(i);
            out.i64(e.timeMillis());
            out.u32(routerOf[i]);
            out.i64(e.session());
            out.u32(peerOf[i]);
            out.u8(e.view().ordinal());
            out.u16(e.family().afi());
            out.u8(e.family().safi());
            writeKey(out, e.key());
            out.u32(attributesOf[i]);
        }
        writeMarkings(out, attributeOrder);
        return out.toByteArray();
    }

    /**
     * @throws IOException when the bytes are not a batch this codec wrote (any inconsistency,
     *                     including ones found by the model's own checks)
     */
    static List<RouteEvent> decode(byte[] data) throws IOException {
        try {
            return decodeChecked(data);
        } catch (RuntimeException e) {
            throw new IOException("corrupt spool record", e);
        }
    }

    private static List<RouteEvent> decodeChecked(byte[] data) throws IOException {
        WireCursor in = new WireCursor(data);
        int version = in.uint8(FIELD);
        if (version != VERSION && version != VERSION_WITHOUT_MARKINGS && version != VERSION_WITHOUT_LABELED_KEYS
                && version != VERSION_WITHOUT_SESSIONS) {
            throw new IOException("unknown spool record version " + version);
        }
        RouterId[] routers = new RouterId[count(in, data.length)];
        for (int i = 0; i < routers.length; i++) {
            routers[i] = new RouterId(utf(in));
        }
        PeerKey[] peers = new PeerKey[count(in, data.length)];
        for (int i = 0; i < peers.length; i++) {
            PeerType type = PeerType.ofCode(in.uint8(FIELD));
            long rd = in.int64(FIELD);
            peers[i] = new PeerKey(type, rd, InetAddress.getByAddress(readBytes(in, data.length)));
        }
        PathAttributes[] attributes = new PathAttributes[count(in, data.length)];
        for (int i = 0; i < attributes.length; i++) {
            attributes[i] = readAttributes(in, data.length);
        }
        int n = count(in, data.length);
        List<RouteEvent> events = new ArrayList<>(n);
        int[] attributesOf = new int[n];
        RouteSource source = null;
        for (int i = 0; i < n; i++) {
            long time = in.int64(FIELD);
            RouterId router = routers[in.int32(FIELD)];
            long session = version == VERSION_WITHOUT_SESSIONS ? 0 : in.int64(FIELD);
            PeerKey peer = peers[in.int32(FIELD)];
            RibView view = VIEWS[in.uint8(FIELD)];
            int afi = in.uint16(FIELD);
            int safi = in.uint8(FIELD);
            if (source == null || source.router() != router || source.session() != session || source.peer() != peer
                    || source.view() != view || source.family().afi() != afi || source.family().safi() != safi) {
                // Consecutive events of one source (those of an UPDATE) share it, as in the RIB.
                source = new RouteSource(router, session, peer, view, new Family(afi, safi));
            }
            RouteKey key = readKey(in, data.length);
            int a = in.int32(FIELD);
            attributesOf[i] = a;
            events.add(new RouteEvent(time, source, key, a < 0 ? null : attributes[a]));
        }
        if (version == VERSION && readMarkings(in, data.length, attributes)) {
            // The events were decoded before the markings that follow them: give them the marked sets.
            for (int i = 0; i < n; i++) {
                RouteEvent e = events.get(i);
                if (attributesOf[i] >= 0 && e.attributes() != attributes[attributesOf[i]]) {
                    events.set(i, new RouteEvent(e.timeMillis(), e.source(), e.key(), attributes[attributesOf[i]]));
                }
            }
        }
        return events;
    }

    /** The markings of the attribute sets that have one: count, then index and marking of each. */
    private static void writeMarkings(ByteSink out, List<PathAttributes> attributes) {
        int marked = 0;
        for (PathAttributes a : attributes) {
            if (a.marking() != null) {
                marked++;
            }
        }
        out.u32(marked);
        for (int i = 0; i < attributes.size(); i++) {
            RouteMarking m = attributes.get(i).marking();
            if (m != null) {
                out.u32(i);
                out.u8(m.tableName() != null ? 1 : 0);
                if (m.tableName() != null) {
                    utf(out, m.tableName());
                }
                out.i64(m.pathStatus());
                out.u32(m.reasonCode());
            }
        }
    }

    /**
     * Reads the table {@link #writeMarkings} wrote and puts each marking on its attribute set.
     *
     * @return whether any set got a marking
     */
    private static boolean readMarkings(WireCursor in, int limit, PathAttributes[] attributes) throws IOException {
        int n = count(in, limit);
        for (int i = 0; i < n; i++) {
            int index = in.int32(FIELD);
            String tableName = (in.uint8(FIELD) != 0) ? utf(in) : null;
            long pathStatus = in.int64(FIELD);
            attributes[index] = attributes[index].withMarking(new RouteMarking(tableName, pathStatus, in.int32(FIELD)));
        }
        return n > 0;
    }

    private static int count(WireCursor in, int limit) throws IOException {
        int n = in.int32(FIELD);
        if (n < 0 || n > limit) {
            throw new IOException("corrupt spool record: count " + n);
        }
        return n;
    }

    private static void writeKey(ByteSink out, RouteKey key) {
        switch (key) {
            case Ipv4RouteKey p -> {
                out.u8(KEY_IPV4);
                out.u32(p.address());
                out.u8(p.length());
            }
            case Ipv6RouteKey p -> {
                out.u8(KEY_IPV6);
                out.i64(p.high());
                out.i64(p.low());
                out.u8(p.length());
            }
            case LabeledPrefix p -> {
                out.u8(KEY_LABELED);
                out.u8(p.rd() != null ? 1 : 0);
                if (p.rd() != null) {
                    out.i64(p.rd());
                }
                writeKey(out, p.prefix());
                ints(out, p.labels());
            }
            case EvpnRouteKey r -> {
                out.u8(KEY_EVPN);
                out.u8(r.routeType());
                out.i64(r.rd());
                bytesOrNull(out, r.esi());
                out.u32(r.ethernetTag());
                bytesOrNull(out, r.mac());
                bytesOrNull(out, r.ip());
                out.u16(r.ipLength());
                bytesOrNull(out, r.gateway());
                ints(out, r.labels());
                bytesOrNull(out, r.raw());
            }
            case OpaqueNlri o -> {
                out.u8(KEY_OPAQUE);
                bytesOrNull(out, o.bytes());
                out.u8(o.description() != null ? 1 : 0);
                if (o.description() != null) {
                    utf(out, o.description());
                }
            }
        }
        out.u32(key.pathId());
    }

    private static RouteKey readKey(WireCursor in, int limit) throws IOException {
        int tag = in.uint8(FIELD);
        return switch (tag) {
            case KEY_IPV4, KEY_IPV6 -> readPrefix(tag, in);
            case KEY_LABELED -> {
                Long rd = (in.uint8(FIELD) != 0) ? in.int64(FIELD) : null;
                // Read as a prefix rather than any key, so that corrupt bytes cannot nest without end.
                int prefixTag = in.uint8(FIELD);
                if (prefixTag != KEY_IPV4 && prefixTag != KEY_IPV6) {
                    throw new IOException("corrupt spool record: labeled prefix tag " + prefixTag);
                }
                RouteKey prefix = readPrefix(prefixTag, in);
                yield new LabeledPrefix(rd, prefix, readInts(in, limit), in.int32(FIELD));
            }
            case KEY_EVPN -> new EvpnRouteKey(in.uint8(FIELD), in.int64(FIELD), readBytes(in, limit), in.int32(FIELD),
                    readBytes(in, limit), readBytes(in, limit), in.uint16(FIELD), readBytes(in, limit),
                    readInts(in, limit), readBytes(in, limit), in.int32(FIELD));
            case KEY_OPAQUE -> {
                byte[] bytes = readBytes(in, limit);
                String description = (in.uint8(FIELD) != 0) ? utf(in) : null;
                yield new OpaqueNlri(bytes, in.int32(FIELD), description);
            }
            default -> throw new IOException("corrupt spool record: key tag " + tag);
        };
    }

    /** The IPv4 ({@code tag} KEY_IPV4) or IPv6 key that follows its tag. */
    private static RouteKey readPrefix(int tag, WireCursor in) throws IOException {
        if (tag == KEY_IPV4) {
            int address = in.int32(FIELD);
            int length = in.uint8(FIELD);
            return new Ipv4RouteKey(address, length, in.int32(FIELD));
        }
        long high = in.int64(FIELD);
        long low = in.int64(FIELD);
        int length = in.uint8(FIELD);
        return new Ipv6RouteKey(high, low, length, in.int32(FIELD));
    }

    /**
     * Every attribute of the set (not its BMP marking, which belongs to the route's report, not
     * to the path), in a form that is equal for equal sets.
     */
    public static byte[] encodeAttributes(PathAttributes a) {
        ByteSink out = new ByteSink(64 + a.asPath().encoded().length * 4);
        writeAttributes(out, a);
        return out.toByteArray();
    }

    /**
     * The set {@link #encodeAttributes} encoded.
     *
     * @throws IOException when the bytes are not such an encoding
     */
    public static PathAttributes decodeAttributes(byte[] encoded) throws IOException {
        try {
            WireCursor in = new WireCursor(encoded);
            PathAttributes a = readAttributes(in, encoded.length);
            if (in.remaining() != 0) {
                throw new IOException("corrupt attribute set: " + in.remaining() + " bytes after its end");
            }
            return a;
        } catch (RuntimeException e) {
            throw new IOException("corrupt attribute set", e);
        }
    }

    private static void writeAttributes(ByteSink out, PathAttributes a) {
        out.u8(a.origin());
        ints(out, a.asPath().encoded());
        bytesOrNull(out, a.nextHop());
        out.i64(a.med());
        out.i64(a.localPref());
        out.u8(a.atomicAggregate() ? 1 : 0);
        out.i64(a.aggregatorAsn());
        bytesOrNull(out, a.aggregatorAddress());
        ints(out, a.communities());
        out.u32(a.extendedCommunities().length);
        for (long c : a.extendedCommunities()) {
            out.i64(c);
        }
        ints(out, a.largeCommunities());
        bytesOrNull(out, a.originatorId());
        ints(out, a.clusterList());
        out.u32(a.otherAttributes().length);
        for (RawAttribute r : a.otherAttributes()) {
            out.u8(r.type());
            out.u8(r.flags());
            bytesOrNull(out, r.value());
        }
    }

    private static PathAttributes readAttributes(WireCursor in, int limit) throws IOException {
        PathAttributes.Builder b = PathAttributes.builder();
        b.origin((byte) in.uint8(FIELD));
        b.asPath(AsPath.ofEncoded(readInts(in, limit)));
        b.nextHop(readBytes(in, limit));
        b.med(in.int64(FIELD));
        b.localPref(in.int64(FIELD));
        b.atomicAggregate((in.uint8(FIELD) != 0));
        long aggregatorAsn = in.int64(FIELD);
        b.aggregator(aggregatorAsn, readBytes(in, limit));
        b.communities(readInts(in, limit));
        long[] ext = new long[count(in, limit / 8)];
        for (int i = 0; i < ext.length; i++) {
            ext[i] = in.int64(FIELD);
        }
        b.extendedCommunities(ext);
        b.largeCommunities(readInts(in, limit));
        b.originatorId(readBytes(in, limit));
        b.clusterList(readInts(in, limit));
        RawAttribute[] other = new RawAttribute[count(in, limit)];
        for (int i = 0; i < other.length; i++) {
            int type = in.uint8(FIELD);
            int flags = in.uint8(FIELD);
            other[i] = new RawAttribute(type, flags, readBytes(in, limit));
        }
        return b.otherAttributes(other).build();
    }

    private static void bytesOrNull(ByteSink out, byte[] b) {
        out.u32(b == null ? -1 : b.length);
        if (b != null) {
            out.bytes(b);
        }
    }

    private static byte[] readBytes(WireCursor in, int limit) throws IOException {
        int n = in.int32(FIELD);
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > limit) {
            throw new IOException("corrupt spool record: length " + n);
        }
        return in.bytes(n, FIELD);
    }

    /** A string as {@link java.io.DataOutput#writeUTF} writes it (modified UTF-8 after its length). */
    private static void utf(ByteSink out, String s) {
        int n = s.length();
        boolean ascii = n <= 0xFFFF;
        for (int i = 0; ascii && i < n; i++) {
            char c = s.charAt(i);
            ascii = c >= 1 && c < 0x80;
        }
        if (ascii) {
            out.u16(n);
            for (int i = 0; i < n; i++) {
                out.u8(s.charAt(i));
            }
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream data = new DataOutputStream(bytes)) {
            data.writeUTF(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // too long a string: never a router name or table name
        }
        out.bytes(bytes.toByteArray());
    }

    /** A string {@link #utf(ByteSink, String)} wrote. */
    private static String utf(WireCursor in) throws IOException {
        int n = in.uint16(FIELD);
        byte[] encoded = in.bytes(n, FIELD);
        boolean ascii = true;
        for (byte b : encoded) {
            ascii &= b > 0;
        }
        if (ascii) {
            return new String(encoded, StandardCharsets.US_ASCII);
        }
        ByteBuffer prefixed = ByteBuffer.allocate(2 + n).putShort((short) n).put(encoded);
        return new DataInputStream(new ByteArrayInputStream(prefixed.array())).readUTF();
    }

    private static void ints(ByteSink out, int[] v) {
        out.u32(v.length);
        for (int x : v) {
            out.u32(x);
        }
    }

    private static int[] readInts(WireCursor in, int limit) throws IOException {
        int[] v = new int[count(in, limit / 4)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.int32(FIELD);
        }
        return v;
    }
}
