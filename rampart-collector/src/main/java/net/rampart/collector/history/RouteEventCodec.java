package net.rampart.collector.history;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
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
import net.rampart.collector.rib.RouterId;

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

    private RouteEventCodec() {
    }

    static byte[] encode(List<RouteEvent> events) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + events.size() * 32);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Map<RouterId, Integer> routers = new LinkedHashMap<>();
            Map<PeerKey, Integer> peers = new LinkedHashMap<>();
            Map<PathAttributes, Integer> attributes = new IdentityHashMap<>();
            List<PathAttributes> attributeOrder = new ArrayList<>();
            for (RouteEvent e : events) {
                routers.putIfAbsent(e.router(), routers.size());
                peers.putIfAbsent(e.peer(), peers.size());
                if (e.attributes() != null && attributes.putIfAbsent(e.attributes(), attributes.size()) == null) {
                    attributeOrder.add(e.attributes());
                }
            }
            out.writeByte(VERSION);
            out.writeInt(routers.size());
            for (RouterId r : routers.keySet()) {
                out.writeUTF(r.name());
            }
            out.writeInt(peers.size());
            for (PeerKey p : peers.keySet()) {
                out.writeByte(p.type().code());
                out.writeLong(p.distinguisher());
                bytesOrNull(out, p.address().getAddress());
            }
            out.writeInt(attributeOrder.size());
            for (PathAttributes a : attributeOrder) {
                writeAttributes(out, a);
            }
            out.writeInt(events.size());
            for (RouteEvent e : events) {
                out.writeLong(e.timeMillis());
                out.writeInt(routers.get(e.router()));
                out.writeLong(e.session());
                out.writeInt(peers.get(e.peer()));
                out.writeByte(e.view().ordinal());
                out.writeShort(e.family().afi());
                out.writeByte(e.family().safi());
                writeKey(out, e.key());
                out.writeInt(e.attributes() == null ? -1 : attributes.get(e.attributes()));
            }
            writeMarkings(out, attributeOrder);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
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
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
        int version = in.readUnsignedByte();
        if (version != VERSION && version != VERSION_WITHOUT_MARKINGS && version != VERSION_WITHOUT_LABELED_KEYS
                && version != VERSION_WITHOUT_SESSIONS) {
            throw new IOException("unknown spool record version " + version);
        }
        RouterId[] routers = new RouterId[count(in, data.length)];
        for (int i = 0; i < routers.length; i++) {
            routers[i] = new RouterId(in.readUTF());
        }
        PeerKey[] peers = new PeerKey[count(in, data.length)];
        for (int i = 0; i < peers.length; i++) {
            PeerType type = PeerType.ofCode(in.readUnsignedByte());
            long rd = in.readLong();
            peers[i] = new PeerKey(type, rd, InetAddress.getByAddress(readBytes(in, data.length)));
        }
        PathAttributes[] attributes = new PathAttributes[count(in, data.length)];
        for (int i = 0; i < attributes.length; i++) {
            attributes[i] = readAttributes(in, data.length);
        }
        int n = count(in, data.length);
        List<RouteEvent> events = new ArrayList<>(n);
        int[] attributesOf = new int[n];
        for (int i = 0; i < n; i++) {
            long time = in.readLong();
            RouterId router = routers[in.readInt()];
            long session = version == VERSION_WITHOUT_SESSIONS ? 0 : in.readLong();
            PeerKey peer = peers[in.readInt()];
            RibView view = VIEWS[in.readUnsignedByte()];
            Family family = new Family(in.readUnsignedShort(), in.readUnsignedByte());
            RouteKey key = readKey(in, data.length);
            int a = in.readInt();
            attributesOf[i] = a;
            events.add(new RouteEvent(time, router, session, peer, view, family, key, a < 0 ? null : attributes[a]));
        }
        if (version == VERSION && readMarkings(in, data.length, attributes)) {
            // The events were decoded before the markings that follow them: give them the marked sets.
            for (int i = 0; i < n; i++) {
                RouteEvent e = events.get(i);
                if (attributesOf[i] >= 0 && e.attributes() != attributes[attributesOf[i]]) {
                    events.set(i, new RouteEvent(e.timeMillis(), e.router(), e.session(), e.peer(), e.view(),
                            e.family(), e.key(), attributes[attributesOf[i]]));
                }
            }
        }
        return events;
    }

    /** The markings of the attribute sets that have one: count, then index and marking of each. */
    private static void writeMarkings(DataOutputStream out, List<PathAttributes> attributes) throws IOException {
        int marked = 0;
        for (PathAttributes a : attributes) {
            if (a.marking() != null) {
                marked++;
            }
        }
        out.writeInt(marked);
        for (int i = 0; i < attributes.size(); i++) {
            RouteMarking m = attributes.get(i).marking();
            if (m != null) {
                out.writeInt(i);
                out.writeBoolean(m.tableName() != null);
                if (m.tableName() != null) {
                    out.writeUTF(m.tableName());
                }
                out.writeLong(m.pathStatus());
                out.writeInt(m.reasonCode());
            }
        }
    }

    /**
     * Reads the table {@link #writeMarkings} wrote and puts each marking on its attribute set.
     *
     * @return whether any set got a marking
     */
    private static boolean readMarkings(DataInputStream in, int limit, PathAttributes[] attributes) throws IOException {
        int n = count(in, limit);
        for (int i = 0; i < n; i++) {
            int index = in.readInt();
            String tableName = in.readBoolean() ? in.readUTF() : null;
            long pathStatus = in.readLong();
            attributes[index] = attributes[index].withMarking(new RouteMarking(tableName, pathStatus, in.readInt()));
        }
        return n > 0;
    }

    private static int count(DataInputStream in, int limit) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > limit) {
            throw new IOException("corrupt spool record: count " + n);
        }
        return n;
    }

    private static void writeKey(DataOutputStream out, RouteKey key) throws IOException {
        switch (key) {
            case Ipv4RouteKey p -> {
                out.writeByte(KEY_IPV4);
                out.writeInt(p.address());
                out.writeByte(p.length());
            }
            case Ipv6RouteKey p -> {
                out.writeByte(KEY_IPV6);
                out.writeLong(p.high());
                out.writeLong(p.low());
                out.writeByte(p.length());
            }
            case LabeledPrefix p -> {
                out.writeByte(KEY_LABELED);
                out.writeBoolean(p.rd() != null);
                if (p.rd() != null) {
                    out.writeLong(p.rd());
                }
                writeKey(out, p.prefix());
                ints(out, p.labels());
            }
            case EvpnRouteKey r -> {
                out.writeByte(KEY_EVPN);
                out.writeByte(r.routeType());
                out.writeLong(r.rd());
                bytesOrNull(out, r.esi());
                out.writeInt(r.ethernetTag());
                bytesOrNull(out, r.mac());
                bytesOrNull(out, r.ip());
                out.writeShort(r.ipLength());
                bytesOrNull(out, r.gateway());
                ints(out, r.labels());
                bytesOrNull(out, r.raw());
            }
            case OpaqueNlri o -> {
                out.writeByte(KEY_OPAQUE);
                bytesOrNull(out, o.bytes());
                out.writeBoolean(o.description() != null);
                if (o.description() != null) {
                    out.writeUTF(o.description());
                }
            }
        }
        out.writeInt(key.pathId());
    }

    private static RouteKey readKey(DataInputStream in, int limit) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case KEY_IPV4, KEY_IPV6 -> readPrefix(tag, in);
            case KEY_LABELED -> {
                Long rd = in.readBoolean() ? in.readLong() : null;
                // Read as a prefix rather than any key, so that corrupt bytes cannot nest without end.
                int prefixTag = in.readUnsignedByte();
                if (prefixTag != KEY_IPV4 && prefixTag != KEY_IPV6) {
                    throw new IOException("corrupt spool record: labeled prefix tag " + prefixTag);
                }
                RouteKey prefix = readPrefix(prefixTag, in);
                yield new LabeledPrefix(rd, prefix, readInts(in, limit), in.readInt());
            }
            case KEY_EVPN -> new EvpnRouteKey(in.readUnsignedByte(), in.readLong(), readBytes(in, limit), in.readInt(),
                    readBytes(in, limit), readBytes(in, limit), in.readUnsignedShort(), readBytes(in, limit),
                    readInts(in, limit), readBytes(in, limit), in.readInt());
            case KEY_OPAQUE -> {
                byte[] bytes = readBytes(in, limit);
                String description = in.readBoolean() ? in.readUTF() : null;
                yield new OpaqueNlri(bytes, in.readInt(), description);
            }
            default -> throw new IOException("corrupt spool record: key tag " + tag);
        };
    }

    /** The IPv4 ({@code tag} KEY_IPV4) or IPv6 key that follows its tag. */
    private static RouteKey readPrefix(int tag, DataInputStream in) throws IOException {
        if (tag == KEY_IPV4) {
            int address = in.readInt();
            int length = in.readUnsignedByte();
            return new Ipv4RouteKey(address, length, in.readInt());
        }
        long high = in.readLong();
        long low = in.readLong();
        int length = in.readUnsignedByte();
        return new Ipv6RouteKey(high, low, length, in.readInt());
    }

    /**
     * Every attribute of the set (not its BMP marking, which belongs to the route's report, not
     * to the path), in a form that is equal for equal sets.
     */
    public static byte[] encodeAttributes(PathAttributes a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + a.asPath().encoded().length * 4);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeAttributes(out, a);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * The set {@link #encodeAttributes} encoded.
     *
     * @throws IOException when the bytes are not such an encoding
     */
    public static PathAttributes decodeAttributes(byte[] encoded) throws IOException {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded));
            PathAttributes a = readAttributes(in, encoded.length);
            if (in.available() != 0) {
                throw new IOException("corrupt attribute set: " + in.available() + " bytes after its end");
            }
            return a;
        } catch (RuntimeException e) {
            throw new IOException("corrupt attribute set", e);
        }
    }

    private static void writeAttributes(DataOutputStream out, PathAttributes a) throws IOException {
        out.writeByte(a.origin());
        ints(out, a.asPath().encoded());
        bytesOrNull(out, a.nextHop());
        out.writeLong(a.med());
        out.writeLong(a.localPref());
        out.writeBoolean(a.atomicAggregate());
        out.writeLong(a.aggregatorAsn());
        bytesOrNull(out, a.aggregatorAddress());
        ints(out, a.communities());
        out.writeInt(a.extendedCommunities().length);
        for (long c : a.extendedCommunities()) {
            out.writeLong(c);
        }
        ints(out, a.largeCommunities());
        bytesOrNull(out, a.originatorId());
        ints(out, a.clusterList());
        out.writeInt(a.otherAttributes().length);
        for (RawAttribute r : a.otherAttributes()) {
            out.writeByte(r.type());
            out.writeByte(r.flags());
            bytesOrNull(out, r.value());
        }
    }

    private static PathAttributes readAttributes(DataInputStream in, int limit) throws IOException {
        PathAttributes.Builder b = PathAttributes.builder();
        b.origin(in.readByte());
        b.asPath(AsPath.ofEncoded(readInts(in, limit)));
        b.nextHop(readBytes(in, limit));
        b.med(in.readLong());
        b.localPref(in.readLong());
        b.atomicAggregate(in.readBoolean());
        long aggregatorAsn = in.readLong();
        b.aggregator(aggregatorAsn, readBytes(in, limit));
        b.communities(readInts(in, limit));
        long[] ext = new long[count(in, limit / 8)];
        for (int i = 0; i < ext.length; i++) {
            ext[i] = in.readLong();
        }
        b.extendedCommunities(ext);
        b.largeCommunities(readInts(in, limit));
        b.originatorId(readBytes(in, limit));
        b.clusterList(readInts(in, limit));
        RawAttribute[] other = new RawAttribute[count(in, limit)];
        for (int i = 0; i < other.length; i++) {
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            other[i] = new RawAttribute(type, flags, readBytes(in, limit));
        }
        return b.otherAttributes(other).build();
    }

    private static void bytesOrNull(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in, int limit) throws IOException {
        int n = in.readInt();
        if (n == -1) {
            return null;
        }
        if (n < 0 || n > limit) {
            throw new IOException("corrupt spool record: length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    private static void ints(DataOutputStream out, int[] v) throws IOException {
        out.writeInt(v.length);
        for (int x : v) {
            out.writeInt(x);
        }
    }

    private static int[] readInts(DataInputStream in, int limit) throws IOException {
        int[] v = new int[count(in, limit / 4)];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readInt();
        }
        return v;
    }
}
