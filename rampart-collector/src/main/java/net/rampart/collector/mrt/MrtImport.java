package net.rampart.collector.mrt;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import net.rampart.collector.bgp.UpdateRoutes;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.Family;
import net.rampart.collector.rib.Ipv4RouteKey;
import net.rampart.collector.rib.Ipv6RouteKey;
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
import net.rampart.wire.ip.IpPrefix;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import net.rampart.wire.mrt.MrtReader;
import net.rampart.wire.mrt.MrtRecord;
import net.rampart.wire.mrt.MrtRouteDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads an MRT file (TABLE_DUMP, TABLE_DUMP_V2 or BGP4MP; plain, gzip or bzip2) into the RIB as
 * a named source: the routes appear under the router {@code mrt:NAME}, one peer per MRT peer, in
 * the Adj-RIB-In pre-policy view, and flow to route history like any collected route. The source
 * and its peers are listed in the {@link RouterInventory} like BMP routers and theirs. The file is
 * streamed; a record whose BGP content does not decode is counted and skipped.
 *
 * <p>Route history keeps rows for its retention only, measured from the time each record
 * carries, not from the import: rows of a dump older than that are dropped by the next
 * retention pass. The import says so (a warning in the log before the first such record is
 * applied, and in its summary) rather than let them vanish unannounced.
 */
public final class MrtImport {

    /** What the router names of MRT sources start with: {@code mrt:NAME}. */
    public static final String ROUTER_PREFIX = "mrt:";
    private static final Logger log = LoggerFactory.getLogger(MrtImport.class);
    private static final int BGP_ESTABLISHED = 6;
    private static final int MAX_LOGGED_ERRORS = 5;

    /**
     * What an import did.
     *
     * @param oldestRecord the time of the oldest record read, or null when none was
     * @param warning      why some of what was imported will not stay in route history, or null
     */
    public record Summary(String source, long records, long announcements, long withdrawals, int peers,
                          long skippedRecords, long badRecords, long durationMillis, Instant oldestRecord,
                          String warning) {
    }

    private final Rib rib;
    private final RouterInventory inventory;
    private final RouterId router;
    private final String source;
    private final Duration historyRetention;
    private final Instant historyCutoff;
    private List<MrtRecord.PeerEntry> peerIndex = List.of();
    /** Every peer seen and whether its session is established, as the inventory lists it. */
    private final Map<PeerKey, Boolean> peers = new HashMap<>();
    private Instant oldest;
    private boolean warnedAboutRetention;
    private long records;
    private long announcements;
    private long withdrawals;
    private long skipped;
    private long bad;

    private MrtImport(Rib rib, RouterInventory inventory, String source, Duration historyRetention, Instant now) {
        this.rib = rib;
        this.inventory = inventory;
        this.source = source;
        this.router = routerOf(source);
        this.historyRetention = historyRetention;
        this.historyCutoff = now.minus(historyRetention);
    }

    /** The router name an import of this source appears under in the RIB. */
    public static RouterId routerOf(String source) {
        return new RouterId(ROUTER_PREFIX + source);
    }

    /**
     * Reads the whole stream into the RIB.
     *
     * @param historyRetention how long route history keeps rows, to warn about records older than that
     * @throws DecodeException when the MRT framing itself is broken (nothing after it can be trusted);
     *                         what was read until then stays in the RIB
     */
    public static Summary run(Rib rib, RouterInventory inventory, Duration historyRetention, String source, InputStream in)
            throws IOException {
        long start = System.nanoTime();
        Instant now = Instant.now();
        var importer = new MrtImport(rib, inventory, source, historyRetention, now);
        inventory.mrtSource(importer.router.name(), now, now);
        try (var reader = new MrtReader(MrtReader.decompressing(in))) {
            while (reader.hasNext()) {
                importer.apply(reader.next());
            }
        } finally {
            // Seen until now, also when broken framing ended the import: what came before stays.
            inventory.mrtSource(importer.router.name(), now, Instant.now());
        }
        var summary = new Summary(source, importer.records, importer.announcements, importer.withdrawals,
                importer.peers.size(), importer.skipped, importer.bad, (System.nanoTime() - start) / 1_000_000,
                importer.oldest, retentionWarning(importer.oldest, now, historyRetention));
        log.atInfo().addKeyValue("event", "mrt_imported").addKeyValue("source", source)
                .addKeyValue("records", summary.records()).addKeyValue("announcements", summary.announcements())
                .addKeyValue("withdrawals", summary.withdrawals()).addKeyValue("peers", summary.peers())
                .addKeyValue("skipped_records", summary.skippedRecords()).addKeyValue("bad_records", summary.badRecords())
                .addKeyValue("duration_ms", summary.durationMillis())
                .addKeyValue("oldest_record", String.valueOf(summary.oldestRecord())).log("MRT file imported");
        return summary;
    }

    /**
     * Why route history will not keep what an import wrote, or null when it will: records older
     * than {@code now - retention} land in partitions the next retention pass drops.
     *
     * @param oldestRecord the oldest record's time, or null when the import read none
     */
    public static String retentionWarning(Instant oldestRecord, Instant now, Duration retention) {
        if (oldestRecord == null || !oldestRecord.isBefore(now.minus(retention))) {
            return null;
        }
        return "the oldest record (" + oldestRecord + ") is older than the route history retention ("
                + retention.toDays() + " days, so before " + now.minus(retention) + "): the route history rows of "
                + "such records are dropped by the next retention pass (at each start and daily); the routes "
                + "themselves stay in the RIB and in current routes";
    }

    private void apply(MrtRecord record) {
        records++;
        Instant time = record.header().timestamp();
        if (oldest == null || time.isBefore(oldest)) {
            oldest = time;
        }
        if (!warnedAboutRetention && time.isBefore(historyCutoff)) {
            // Said before this record reaches the RIB, so before any of its history rows are written.
            warnedAboutRetention = true;
            log.atWarn().addKeyValue("event", "mrt_older_than_retention").addKeyValue("source", source)
                    .addKeyValue("record_time", time.toString())
                    .addKeyValue("retention_days", historyRetention.toDays())
                    .addKeyValue("cutoff", historyCutoff.toString())
                    .log("MRT records older than the route history retention: their route history rows will be "
                            + "dropped by the next retention pass");
        }
        try {
            switch (record) {
                case MrtRecord.PeerIndexTable table -> peerIndex = table.peers();
                case MrtRecord.RibAfi rib -> ribEntries(rib);
                case MrtRecord.TableDump dump -> dump.entries().forEach(entry -> tableDumpEntry(dump.header(), entry));
                case MrtRecord.Bgp4mpMessage message -> bgpMessage(message.header(), message.peerAddress(),
                        message.peerAs(), MrtRouteDecoder.message(message));
                case MrtRecord.LegacyBgpMessage message -> bgpMessage(message.header(), message.peerAddress(),
                        Integer.toUnsignedLong(message.peerAs()), MrtRouteDecoder.message(message));
                case MrtRecord.Bgp4mpStateChange change -> stateChange(change.header(),
                        change.peerAddress(), change.peerAs(), change.oldState(), change.newState());
                case MrtRecord.LegacyBgpStateChange change -> stateChange(change.header(), change.peerAddress(),
                        Integer.toUnsignedLong(change.peerAs()), change.oldState(), change.newState());
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
            MrtRecord.PeerEntry peer = peerIndex.get(entry.peerIndex());
            announce(peer(peer.address(), peer.as()), time, family, attributes, nextHop,
                    key(record.prefix(), record.prefixLength(), pathId));
        }
    }

    private void tableDumpEntry(MrtRecord.Header header, MrtRecord.TableDumpEntry entry) {
        UpdateMessage attributes = MrtRouteDecoder.attributes(entry);
        byte[] nextHop = attributes.attribute(PathAttribute.NextHop.class).map(hop -> ipv4(hop.address()))
                .orElseGet(() -> attributes.mpReach().map(PathAttribute.MpReach::nextHop).orElse(null));
        var family = entry.prefix() instanceof Inet4Address ? AfiSafi.IPV4_UNICAST : AfiSafi.IPV6_UNICAST;
        announce(peer(entry.peerAddress(), Integer.toUnsignedLong(entry.peerAs())), header.timestamp().toEpochMilli(),
                family, attributes, nextHop, key(entry.prefix(), entry.prefixLength(), 0));
    }

    private void announce(PeerKey peer, long time, AfiSafi family, UpdateMessage attributes,
                          byte[] nextHop, RouteKey key) {
        var update = RouteUpdate.announce(time, new Family(family.afi(), family.safi()),
                UpdateRoutes.attributes(attributes.attributes()).nextHop(nextHop).build(), List.of(key));
        rib.apply(router, peer, RibView.ADJ_RIB_IN_PRE, update);
        announcements++;
    }

    private void bgpMessage(MrtRecord.Header header, InetAddress peerAddress, long peerAs, BgpMessage message) {
        if (!(message instanceof UpdateMessage update)) {
            return;
        }
        var changes = UpdateRoutes.of(update, header.timestamp().toEpochMilli());
        if (changes.unreliable()) {
            bad++;
            return;
        }
        PeerKey peer = peer(peerAddress, peerAs);
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

    /**
     * Leaving Established ends the session: the peer's routes are gone, as after a BMP Peer Down,
     * and the peer is listed down until it is established again or sends routes.
     */
    private void stateChange(MrtRecord.Header header, InetAddress peerAddress, long peerAs, int oldState,
                             int newState) {
        PeerKey key = PeerKey.global(peerAddress);
        if (oldState == BGP_ESTABLISHED && newState != BGP_ESTABLISHED) {
            peerState(key, peerAs, false);
            withdrawals += rib.peerDown(router, key, header.timestamp().toEpochMilli());
        } else if (newState == BGP_ESTABLISHED) {
            peerState(key, peerAs, true);
        } else if (!peers.containsKey(key)) {
            // Only steps before Established so far: listed, not up. A peer already listed keeps its
            // state, as nothing but leaving Established takes its routes away.
            peerState(key, peerAs, false);
        }
    }

    /** The peer sending routes: its session is established. */
    private PeerKey peer(InetAddress address, long asn) {
        PeerKey key = PeerKey.global(address);
        peerState(key, asn, true);
        return key;
    }

    /** Tells the inventory when a peer is first seen or its session goes up or down, not for every record. */
    private void peerState(PeerKey key, long asn, boolean up) {
        Boolean was = peers.put(key, up);
        if (was == null || was != up) {
            Instant now = Instant.now();
            inventory.mrtPeer(router.name(), key, asn, up, now, now);
        }
    }

    private static RouteKey key(InetAddress prefix, int length, int pathId) {
        return switch (IpPrefix.of(prefix, length)) {
            case Ipv4Prefix p -> Ipv4RouteKey.of(p, pathId);
            case Ipv6Prefix p -> Ipv6RouteKey.of(p, pathId);
        };
    }

    private static byte[] ipv4(int address) {
        return new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
    }

}
