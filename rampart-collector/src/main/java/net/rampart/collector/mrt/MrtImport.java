package net.rampart.collector.mrt;

import net.rampart.collector.bgp.UpdateRoutes;
import net.rampart.collector.rib.Ipv4Prefix;
import net.rampart.collector.rib.Ipv6Prefix;
import net.rampart.collector.rib.PeerKey;
import net.rampart.collector.rib.Rib;
import net.rampart.collector.rib.RibView;
import net.rampart.collector.rib.RouteKey;
import net.rampart.collector.rib.RouteUpdate;
import net.rampart.collector.rib.RouterId;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.BgpMessage;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.mrt.MrtReader;
import net.rampart.wire.mrt.MrtRecord;
import net.rampart.wire.mrt.MrtRouteDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads an MRT file (TABLE_DUMP, TABLE_DUMP_V2 or BGP4MP; plain, gzip or bzip2) into the RIB as
 * a named source: the routes appear under the router {@code mrt:NAME}, one peer per MRT peer, in
 * the Adj-RIB-In pre-policy view, and flow to route history like any collected route. The file
 * is streamed; a record whose BGP content does not decode is counted and skipped.
 */
public final class MrtImport {

    private static final Logger log = LoggerFactory.getLogger(MrtImport.class);
    private static final int BGP_ESTABLISHED = 6;
    private static final int MAX_LOGGED_ERRORS = 5;

    /** What an import did. */
    public record Summary(String source, long records, long announcements, long withdrawals, int peers,
                          long skippedRecords, long badRecords, long durationMillis) {
    }

    private final Rib rib;
    private final RouterId router;
    private final String source;
    private List<MrtRecord.PeerEntry> peerIndex = List.of();
    private final Set<PeerKey> peers = new HashSet<>();
    private long records;
    private long announcements;
    private long withdrawals;
    private long skipped;
    private long bad;

    private MrtImport(Rib rib, String source) {
        this.rib = rib;
        this.source = source;
        this.router = new RouterId("mrt:" + source);
    }

    /** The router name an import of this source appears under in the RIB. */
    public static RouterId routerOf(String source) {
        return new RouterId("mrt:" + source);
    }

    /**
     * Reads the whole stream into the RIB.
     *
     * @throws DecodeException when the MRT framing itself is broken (nothing after it can be trusted);
     *                         what was read until then stays in the RIB
     */
    public static Summary run(Rib rib, String source, InputStream in) throws IOException {
        long start = System.nanoTime();
        var importer = new MrtImport(rib, source);
        try (var reader = new MrtReader(MrtReader.decompressing(in))) {
            while (reader.hasNext()) {
                importer.apply(reader.next());
            }
        }
        var summary = new Summary(source, importer.records, importer.announcements, importer.withdrawals,
                importer.peers.size(), importer.skipped, importer.bad, (System.nanoTime() - start) / 1_000_000);
        log.atInfo().addKeyValue("event", "mrt_imported").addKeyValue("source", source)
                .addKeyValue("records", summary.records()).addKeyValue("announcements", summary.announcements())
                .addKeyValue("withdrawals", summary.withdrawals()).addKeyValue("peers", summary.peers())
                .addKeyValue("skipped_records", summary.skippedRecords()).addKeyValue("bad_records", summary.badRecords())
                .addKeyValue("duration_ms", summary.durationMillis()).log("MRT file imported");
        return summary;
    }

    private void apply(MrtRecord record) {
        records++;
        try {
            switch (record) {
                case MrtRecord.PeerIndexTable table -> peerIndex = table.peers();
                case MrtRecord.RibAfi rib -> ribEntries(rib);
                case MrtRecord.TableDump dump -> dump.entries().forEach(entry -> tableDumpEntry(dump.header(), entry));
                case MrtRecord.Bgp4mpMessage message ->
                        bgpMessage(message.header(), message.peerAddress(), MrtRouteDecoder.message(message));
                case MrtRecord.LegacyBgpMessage message ->
                        bgpMessage(message.header(), message.peerAddress(), MrtRouteDecoder.message(message));
                case MrtRecord.Bgp4mpStateChange change ->
                        stateChange(change.header(), change.peerAddress(), change.oldState(), change.newState());
                case MrtRecord.LegacyBgpStateChange change ->
                        stateChange(change.header(), change.peerAddress(), change.oldState(), change.newState());
                case MrtRecord.RibGeneric ignored -> skipped++;
                case MrtRecord.Unknown ignored -> skipped++;
            }
        } catch (DecodeException | IllegalArgumentException e) {
            bad++;
            if (bad <= MAX_LOGGED_ERRORS) {
                log.atWarn().addKeyValue("event", "mrt_record_skipped").addKeyValue("source", source)
                        .addKeyValue("record", records).addKeyValue("error", e.getMessage())
                        .log("MRT record skipped");
            }
        }
    }

    private void ribEntries(MrtRecord.RibAfi record) {
        var family = new AfiSafi(record.afi(), record.safi());
        long time = record.header().timestamp().toEpochMilli();
        for (MrtRecord.RibEntry entry : record.entries()) {
            if (entry.peerIndex() >= peerIndex.size()) {
                throw new DecodeException("RIB entry names peer " + entry.peerIndex() + " of " + peerIndex.size());
            }
            UpdateMessage attributes = MrtRouteDecoder.attributes(family, entry);
            byte[] nextHop = attributes.mpReach().map(PathAttribute.MpReach::nextHop)
                    .orElseGet(() -> attributes.attribute(PathAttribute.NextHop.class)
                            .map(hop -> ipv4(hop.address())).orElse(null));
            int pathId = entry.pathId() < 0 ? 0 : (int) entry.pathId();
            announce(peerIndex.get(entry.peerIndex()).address(), time, family, attributes, nextHop,
                    key(record.prefix(), record.prefixLength(), pathId));
        }
    }

    private void tableDumpEntry(MrtRecord.Header header, MrtRecord.TableDumpEntry entry) {
        UpdateMessage attributes = MrtRouteDecoder.attributes(entry);
        byte[] nextHop = attributes.attribute(PathAttribute.NextHop.class).map(hop -> ipv4(hop.address()))
                .orElseGet(() -> attributes.mpReach().map(PathAttribute.MpReach::nextHop).orElse(null));
        var family = entry.prefix() instanceof Inet4Address ? AfiSafi.IPV4_UNICAST : AfiSafi.IPV6_UNICAST;
        announce(entry.peerAddress(), header.timestamp().toEpochMilli(), family, attributes, nextHop,
                key(entry.prefix(), entry.prefixLength(), 0));
    }

    private void announce(InetAddress peerAddress, long time, AfiSafi family, UpdateMessage attributes,
                          byte[] nextHop, RouteKey key) {
        var update = RouteUpdate.announce(time, new net.rampart.collector.rib.Family(family.afi(), family.safi()),
                UpdateRoutes.attributes(attributes.attributes()).nextHop(nextHop).build(), List.of(key));
        rib.apply(router, peer(peerAddress), RibView.ADJ_RIB_IN_PRE, update);
        announcements++;
    }

    private void bgpMessage(MrtRecord.Header header, InetAddress peerAddress, BgpMessage message) {
        if (!(message instanceof UpdateMessage update)) {
            return;
        }
        var changes = UpdateRoutes.of(update, header.timestamp().toEpochMilli());
        if (changes.unreliable()) {
            bad++;
            return;
        }
        PeerKey peer = peer(peerAddress);
        if (changes.endOfRib() != null) {
            rib.endOfRib(router, peer, RibView.ADJ_RIB_IN_PRE, changes.endOfRib(), header.timestamp().toEpochMilli());
            return;
        }
        for (RouteUpdate block : changes.updates()) {
            rib.apply(router, peer, RibView.ADJ_RIB_IN_PRE, block);
            announcements += block.announced().size();
            withdrawals += block.withdrawn().size();
        }
    }

    /** Leaving Established ends the session: the peer's routes are gone, as after a BMP Peer Down. */
    private void stateChange(MrtRecord.Header header, InetAddress peerAddress, int oldState, int newState) {
        if (oldState == BGP_ESTABLISHED && newState != BGP_ESTABLISHED) {
            withdrawals += rib.peerDown(router, peer(peerAddress), header.timestamp().toEpochMilli());
        }
    }

    private PeerKey peer(InetAddress address) {
        PeerKey key = PeerKey.global(address);
        peers.add(key);
        return key;
    }

    private static RouteKey key(InetAddress prefix, int length, int pathId) {
        byte[] bytes = prefix.getAddress();
        if (bytes.length == 4) {
            return new Ipv4Prefix((bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8
                    | (bytes[3] & 0xFF), length, pathId);
        }
        return Ipv6Prefix.of(bytes, length, pathId);
    }

    private static byte[] ipv4(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

}
