package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * The routes our decoder finds in the real router captures match pmacct's own decode of the
 * same captures (the {@code *.pmacct-output.json} beside each), compared as multisets of
 * prefix events: per view and peer, every announced prefix with its AS path, next hop,
 * communities, large communities, origin, LOCAL_PREF and MED; every withdrawn prefix; every
 * End-of-RIB.
 *
 * <p>Withdrawals are compared by prefix only: pmacct decorates its withdraw rows with the
 * attributes it had cached for the prefix, which are not in the withdrawing UPDATE. For the
 * same reason pmacct writes no row at all for the withdrawal of a route it never saw
 * announced (204 has four: Loc-RIB withdrawals under a route distinguisher the prefix was
 * announced under only by another instance), nor for withdrawals that follow the peer's Peer
 * Down, after which pmacct has forgotten the peer's routes (205: the 6WIND/FRR router withdraws
 * a downed peer's routes after reporting it down); such withdrawals are left out on our side too.
 */
class BmpPmacctConformanceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void routesMatchPmacctsDecode() throws Exception {
        int compared = 0;
        for (Path capture : BmpCaptures.captures()) {
            Path pmacct = capture.resolveSibling(capture.getFileName().toString().replace(".pcap", ".pmacct-output.json"));
            if (!Files.exists(pmacct)) {
                continue;
            }
            Map<RouteRows.Row, Integer> theirs = pmacctRows(pmacct);
            if (theirs.isEmpty()) {
                // 206's decode is empty in the source data set: nothing to compare against.
                continue;
            }
            Map<RouteRows.Row, Integer> ours = new HashMap<>();
            for (BmpCaptures.Session session : BmpCaptures.sessions(capture)) {
                BmpSession state = new BmpSession();
                java.util.Set<RouteRows.Row> announced = new java.util.HashSet<>();
                for (byte[] message : session.messages()) {
                    BmpMessage decoded = state.decode(message);
                    if (decoded instanceof BmpMessage.PeerDown down) {
                        String downed = address(down.peer().address().getHostAddress());
                        announced.removeIf(r -> r.peer().equals(downed));
                    }
                    if (decoded instanceof BmpMessage.RouteMonitoring rm) {
                        for (RouteRows.Row row : RouteRows.of(rm)) {
                            RouteRows.Row key = normalise(row.withLogType("withdraw"));
                            if (row.logType().equals("update")) {
                                announced.add(key);
                            } else if (row.logType().equals("withdraw") && !announced.remove(key)) {
                                continue;
                            }
                            ours.merge(normalise(row), 1, Integer::sum);
                        }
                    }
                }
            }
            assertThat(multiset(ours)).as("prefix events of %s, ours vs pmacct", capture.getFileName())
                    .containsExactlyInAnyOrderElementsOf(multiset(theirs));
            compared += theirs.values().stream().mapToInt(Integer::intValue).sum();
        }
        assertThat(compared).as("prefix events compared").isPositive();
    }

    /**
     * Peer Up, Peer Down and every statistics counter match pmacct's rows for them: peer
     * address, AS, BGP ID and type; for Peer Up the local address and ports and the RFC 9069
     * VRF/table name; for Peer Down the reason; for statistics type, AFI/SAFI and value.
     */
    @Test
    void peerEventsAndStatisticsMatchPmacctsDecode() throws Exception {
        int compared = 0;
        for (Path capture : BmpCaptures.captures()) {
            Path pmacct = capture.resolveSibling(capture.getFileName().toString().replace(".pcap", ".pmacct-output.json"));
            if (!Files.exists(pmacct)) {
                continue;
            }
            List<String> theirs = pmacctEvents(pmacct);
            if (theirs.isEmpty()) {
                continue;
            }
            List<String> ours = new ArrayList<>();
            for (BmpCaptures.Session session : BmpCaptures.sessions(capture)) {
                BmpSession state = new BmpSession();
                for (byte[] message : session.messages()) {
                    ours.addAll(events(state.decode(message)));
                }
            }
            assertThat(ours).as("peer events and statistics of %s, ours vs pmacct", capture.getFileName())
                    .containsExactlyInAnyOrderElementsOf(theirs);
            compared += theirs.size();
        }
        assertThat(compared).as("events compared").isPositive();
    }

    private static List<String> events(BmpMessage message) {
        List<String> events = new ArrayList<>();
        switch (message) {
            case BmpMessage.PeerUp up -> events.add(peer("peer_up", up.peer()) + " local=" + address(up.localAddress()
                    .getHostAddress()) + " ports=" + up.localPort() + "/" + up.remotePort() + " vrf=" + up.vrfTableName());
            case BmpMessage.PeerDown down -> events.add(peer("peer_down", down.peer()) + " reason=" + down.reason());
            case BmpMessage.StatisticsReport report -> {
                for (Statistic s : report.statistics()) {
                    events.add(peer("stats", report.peer()) + " type=" + s.type() + " afi=" + (s.isPerAfiSafi() ? s.afi() : 0)
                            + " safi=" + (s.isPerAfiSafi() ? s.safi() : 0) + " value="
                            + (s.hasValue() ? Long.toUnsignedString(s.value()) : "raw"));
                }
            }
            default -> {
            }
        }
        return events;
    }

    private static String peer(String kind, PerPeerHeader p) {
        return kind + " peer=" + address(p.address().getHostAddress()) + " as=" + p.peerAs() + " type=" + p.peerType();
    }

    private static List<String> pmacctEvents(Path file) throws Exception {
        List<String> events = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode o = JSON.readTree(line);
                String type = o.path("bmp_msg_type").asText();
                String peer = " peer=" + address(o.path("peer_ip").asText()) + " as=" + o.path("peer_asn").asLong()
                        + " type=" + o.path("peer_type").asInt();
                switch (type) {
                    case "peer_up" -> events.add("peer_up" + peer + " local=" + address(o.path("local_ip").asText())
                            + " ports=" + o.path("local_port").asInt() + "/" + o.path("remote_port").asInt()
                            + " vrf=" + text(o, "bmp_peer_up_info_vrf_table_name"));
                    case "peer_down" -> events.add("peer_down" + peer + " reason=" + o.path("reason_type").asInt());
                    case "stats" -> events.add("stats" + peer + " type=" + o.path("counter_type").asInt() + " afi="
                            + o.path("afi").asInt(0) + " safi=" + o.path("safi").asInt(0) + " value="
                            + o.path("counter_value").asText());
                    default -> {
                    }
                }
            }
        }
        return events;
    }

    private static List<String> multiset(Map<RouteRows.Row, Integer> rows) {
        List<String> all = new ArrayList<>();
        rows.forEach((row, n) -> {
            for (int i = 0; i < n; i++) {
                all.add(row.toString());
            }
        });
        return all;
    }

    private static Map<RouteRows.Row, Integer> pmacctRows(Path file) throws Exception {
        Map<RouteRows.Row, Integer> rows = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode o = JSON.readTree(line);
                if (!"route_monitor".equals(o.path("bmp_msg_type").asText())) {
                    continue;
                }
                String logType = o.path("log_type").asText();
                String view = o.path("is_loc").asInt(0) == 1 ? "loc"
                        : (o.path("is_out").asInt(0) == 1 ? "out-" : "") + (o.path("is_post").asInt(0) == 1 ? "post" : "pre");
                RouteRows.Row row = new RouteRows.Row(logType, view, o.path("peer_ip").asText(), o.path("afi").asInt(),
                        o.path("safi").asInt(), text(o, "rd"), text(o, "ip_prefix"), words(o.get("as_path")),
                        text(o, "bgp_nexthop"), words(o.get("comms")), words(o.get("lcomms")), text(o, "origin"),
                        number(o, "local_pref"), number(o, "med"));
                if (!logType.equals("update")) {
                    row = row.keyOnly();
                }
                rows.merge(normalise(row), 1, Integer::sum);
            }
        }
        return rows;
    }

    /**
     * Brings both sides to one form where they differ only in presentation: canonical address
     * text (pmacct compresses IPv6, Java does not); communities in numeric order (pmacct sorts
     * them, the wire order is the router's); no route distinguisher on labeled-unicast rows
     * (pmacct leaves the per-peer distinguisher off SAFI 4 routes but puts it on SAFI 1 ones);
     * {@code 0.0.0.0} for an announcement whose UPDATE has no next hop at all (pmacct's
     * placeholder; the 6WIND/FRR router of 205 sends such UPDATEs).
     */
    private static RouteRows.Row normalise(RouteRows.Row r) {
        RouteRows.Row key = r.logType().equals("update") ? r : r.keyOnly();
        String rd = key.safi() == 4 ? null : key.rd();
        String nextHop = key.logType().equals("update") && key.nextHop() == null ? "0.0.0.0" : key.nextHop();
        return new RouteRows.Row(key.logType(), key.view(), address(key.peer()), key.afi(), key.safi(), rd,
                prefix(key.prefix()), key.asPath(), address(nextHop), sortedCommunities(key.communities()),
                key.largeCommunities(), key.origin(), key.localPref(), key.med());
    }

    private static String sortedCommunities(String communities) {
        if (communities == null || communities.isEmpty()) {
            return communities;
        }
        return java.util.Arrays.stream(communities.split(" "))
                .sorted(java.util.Comparator.comparingLong(c -> Long.parseLong(c.substring(0, c.indexOf(':'))) << 16
                        | Long.parseLong(c.substring(c.indexOf(':') + 1))))
                .collect(java.util.stream.Collectors.joining(" "));
    }

    private static String prefix(String p) {
        if (p == null) {
            return null;
        }
        int slash = p.indexOf('/');
        return address(p.substring(0, slash)) + p.substring(slash);
    }

    private static String address(String a) {
        if (a == null) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("not an address literal: " + a, e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() ? null : v.asLong();
    }

    /** pmacct prints lists either as JSON arrays or as space-separated strings, depending on its configuration. */
    private static String words(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        if (v.isArray()) {
            StringJoiner j = new StringJoiner(" ");
            v.forEach(e -> j.add(e.asText()));
            return j.toString();
        }
        return v.asText();
    }
}
