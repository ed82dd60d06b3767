package net.rampart.server.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.rampart.detect.route.RouteObservation;
import net.rampart.detect.route.VantagePoint;
import net.rampart.wire.ip.IpPrefix;

/**
 * Reads RIS Live's server messages ({@code {"type": ..., "data": {...}}}) into what detection
 * needs: each UPDATE's announced and withdrawn prefixes as {@link RouteObservation}s of one
 * vantage point per RIS collector and peer, a peer's session going down, pongs and errors.
 *
 * <p>Fields detection does not use (communities, {@code raw}, {@code origin}, next hops...) and
 * fields added to the format later are ignored. A message that lacks or garbles a field
 * detection needs is refused as a whole with a {@link MalformedRisLiveMessage} naming it: half a
 * message would leave the detector's picture of that peer wrong without anyone knowing.
 *
 * <p>Not thread-safe: it caches the vantage point ids. The WebSocket hands it one message at a
 * time.
 */
final class RisLiveMessages {

    /** The RIB view part of a RIS peer's vantage point id: RIS peers have one table each. */
    static final String VIEW = "ris";
    /** Newer RIS Live messages name the collector {@code rrc25.ripe.net}, older ones {@code rrc25}. */
    private static final String RIPE_HOST_SUFFIX = ".ripe.net";
    /** Enough ids for every RIS peer several times over; a feed naming more is not cached further. */
    private static final int MAX_CACHED_IDS = 20_000;
    private static final long MAX_ASN = 0xFFFF_FFFFL;
    /** An absent array field: shared, only ever read. */
    private static final JsonNode NO_ELEMENTS = JsonNodeFactory.instance.arrayNode();

    private final ObjectMapper json;
    /** Collector host as sent, then peer address as sent, to the vantage point id. */
    private final Map<String, Map<String, String>> ids = new HashMap<>();
    private int cachedIds;

    RisLiveMessages(ObjectMapper json) {
        this.json = json;
    }

    /** The vantage point id of a RIS peer: the collector (rrc00), the peer's address and {@value #VIEW}. */
    static String vantagePoint(String host, String peer) {
        String collector = host.endsWith(RIPE_HOST_SUFFIX)
                ? host.substring(0, host.length() - RIPE_HOST_SUFFIX.length()) : host;
        return new VantagePoint(collector, peer, VIEW).id();
    }

    /**
     * One WebSocket text message.
     *
     * @throws MalformedRisLiveMessage saying which field is missing or wrong
     */
    RisLiveFrame decode(String text) throws MalformedRisLiveMessage {
        JsonNode message;
        try {
            message = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedRisLiveMessage("not JSON: " + e.getOriginalMessage());
        }
        if (message == null || !message.isObject()) {
            throw new MalformedRisLiveMessage("not a JSON object");
        }
        String type = text(message, "type", "type");
        JsonNode data = message.path("data");
        return switch (type) {
            case "ris_message" -> risMessage(data);
            case "pong" -> new RisLiveFrame.Pong();
            case "ris_error" -> new RisLiveFrame.ServerError(data.path("message").asText(data.toString()));
            default -> new RisLiveFrame.Other(type);
        };
    }

    private RisLiveFrame risMessage(JsonNode data) throws MalformedRisLiveMessage {
        if (!data.isObject()) {
            throw new MalformedRisLiveMessage("ris_message without a data object");
        }
        String type = text(data, "data.type", "type");
        return switch (type) {
            case "UPDATE" -> new RisLiveFrame.Routes(update(data));
            case "RIS_PEER_STATE" -> "down".equals(data.path("state").asText())
                    ? new RisLiveFrame.PeerDown(timeMillis(data), vantagePoint(data))
                    : new RisLiveFrame.Other("RIS_PEER_STATE");
            default -> new RisLiveFrame.Other(type);
        };
    }

    private List<RouteObservation> update(JsonNode data) throws MalformedRisLiveMessage {
        long time = timeMillis(data);
        String vantagePoint = vantagePoint(data);
        JsonNode announcements = array(data, "announcements");
        JsonNode withdrawals = array(data, "withdrawals");
        List<RouteObservation> routes = new ArrayList<>();
        if (!announcements.isEmpty()) {
            JsonNode path = array(data, "path");
            long[] asns = flatten(path);
            boolean originIsAsSet = endsInSet(path);
            for (JsonNode announcement : announcements) {
                // One prefix may come with two next hops (global and link-local): one route.
                for (JsonNode prefix : array(announcement, "prefixes")) {
                    IpPrefix parsed = prefix(prefix, "announcements[].prefixes");
                    if (!announcedAlready(routes, parsed)) {
                        routes.add(new RouteObservation(time, vantagePoint, parsed, asns, originIsAsSet, false));
                    }
                }
            }
        }
        for (JsonNode prefix : withdrawals) {
            routes.add(RouteObservation.withdraw(time, vantagePoint, prefix(prefix, "withdrawals")));
        }
        return routes;
    }

    private static boolean announcedAlready(List<RouteObservation> routes, IpPrefix prefix) {
        for (int i = 0; i < routes.size(); i++) {
            if (routes.get(i).prefix().equals(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ASNs of the path in order, origin last, the members of an AS_SET (a nested array)
     * included, as the collector's routes are flattened.
     */
    static long[] flatten(JsonNode path) throws MalformedRisLiveMessage {
        int n = 0;
        for (JsonNode element : path) {
            n += element.isArray() ? element.size() : 1;
        }
        long[] asns = new long[n];
        int k = 0;
        for (JsonNode element : path) {
            if (element.isArray()) {
                for (JsonNode member : element) {
                    asns[k++] = asn(member);
                }
            } else {
                asns[k++] = asn(element);
            }
        }
        return asns;
    }

    /** The last non-empty element of the path is an AS_SET, so its last ASN is not the origin. */
    static boolean endsInSet(JsonNode path) {
        for (int i = path.size() - 1; i >= 0; i--) {
            JsonNode element = path.get(i);
            if (!element.isArray()) {
                return false;
            }
            if (!element.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static long asn(JsonNode node) throws MalformedRisLiveMessage {
        if (node.canConvertToLong() && node.isIntegralNumber()) {
            long asn = node.longValue();
            if (asn >= 0 && asn <= MAX_ASN) {
                return asn;
            }
        }
        throw new MalformedRisLiveMessage("path holds '" + node + "', not an ASN");
    }

    private static IpPrefix prefix(JsonNode node, String field) throws MalformedRisLiveMessage {
        if (!node.isTextual()) {
            throw new MalformedRisLiveMessage(field + " holds '" + node + "', not a prefix");
        }
        try {
            return IpPrefix.parse(node.textValue());
        } catch (IllegalArgumentException e) {
            throw new MalformedRisLiveMessage(field + ": " + e.getMessage());
        }
    }

    private static long timeMillis(JsonNode data) throws MalformedRisLiveMessage {
        JsonNode timestamp = data.path("timestamp");
        if (!timestamp.isNumber() || timestamp.doubleValue() < 0) {
            throw new MalformedRisLiveMessage("timestamp is '" + timestamp + "', not seconds since 1970");
        }
        return Math.round(timestamp.doubleValue() * 1000);
    }

    private String vantagePoint(JsonNode data) throws MalformedRisLiveMessage {
        String host = text(data, "data.host", "host");
        String peer = text(data, "data.peer", "peer");
        Map<String, String> byPeer = ids.get(host);
        String id = byPeer == null ? null : byPeer.get(peer);
        if (id != null) {
            return id;
        }
        String made = vantagePoint(host, peer);
        if (cachedIds < MAX_CACHED_IDS) {
            ids.computeIfAbsent(host, h -> new HashMap<>()).put(peer, made);
            cachedIds++;
        }
        return made;
    }

    /** A non-empty text field; {@code name} is how an error names it. */
    private static String text(JsonNode node, String name, String field) throws MalformedRisLiveMessage {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.textValue().isEmpty()) {
            throw new MalformedRisLiveMessage(name + " is missing or not text");
        }
        return value.textValue();
    }

    /** An array field, empty when absent. */
    private static JsonNode array(JsonNode node, String field) throws MalformedRisLiveMessage {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return NO_ELEMENTS;
        }
        if (!value.isArray()) {
            throw new MalformedRisLiveMessage(field + " is not an array");
        }
        return value;
    }
}
