package net.rampart.server.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.rampart.wire.ip.IpPrefix;

/**
 * RIPE RIS Live as a detection input (see docs/configuration.md, "Detection").
 *
 * @param url            the RIS Live WebSocket, with a {@code client} query parameter; empty turns it off
 * @param canary         prefixes subscribed to beside the monitored ones only to prove the feed
 *                       is alive; empty turns the silence check off
 * @param silence        how long the feed may send no route message before the connection is
 *                       taken for stuck and made again
 * @param pingInterval   how often a {@code ping} is sent; no message at all for two intervals
 *                       means the connection is dead
 * @param reconnectMin   the first wait before connecting again; it doubles with each failure
 * @param reconnectMax   the longest wait
 */
public record RisLiveConfig(Optional<URI> url, List<IpPrefix> canary, Duration silence, Duration pingInterval,
                            Duration reconnectMin, Duration reconnectMax) {

    public static final String URL = "RAMPART_RIS_LIVE_URL";
    public static final String CANARY = "RAMPART_RIS_LIVE_CANARY";
    public static final String SILENCE = "RAMPART_RIS_LIVE_SILENCE";
    /**
     * RIPE's routing beacons of rrc00, announced and withdrawn every two hours from AS12654 and
     * so seen by every RIS peer: a feed that carries neither for hours is not delivering.
     */
    public static final String DEFAULT_CANARY = "84.205.64.0/24,2001:7fb:fe00::/48";
    /** One beacon cycle (two hours) missed, and an hour more for a slow propagation. */
    static final Duration DEFAULT_SILENCE = Duration.ofHours(3);
    /** RIS Live's own documentation asks clients to identify themselves with this parameter. */
    static final String CLIENT = "client=rampart";

    public RisLiveConfig {
        canary = List.copyOf(canary);
    }

    public static RisLiveConfig from(Settings settings) throws ConfigException {
        return new RisLiveConfig(url(settings), canary(settings),
                settings.duration(SILENCE, DEFAULT_SILENCE, Duration.ofMinutes(1), Duration.ofDays(7)),
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    private static Optional<URI> url(Settings settings) throws ConfigException {
        Optional<String> value = settings.text(URL);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        URI url;
        try {
            url = new URI(value.get());
        } catch (URISyntaxException e) {
            throw new ConfigException(URL, "'" + value.get() + "' is not a ws:// or wss:// URL: " + e.getReason());
        }
        if (!("ws".equals(url.getScheme()) || "wss".equals(url.getScheme())) || url.getHost() == null) {
            throw new ConfigException(URL, "'" + value.get() + "' is not a ws:// or wss:// URL");
        }
        return Optional.of(withClient(url));
    }

    /** The URL with {@code client=rampart} added when it names no client. */
    public static URI withClient(URI url) {
        String query = url.getRawQuery();
        if (query != null && ("&" + query).contains("&client=")) {
            return url;
        }
        String text = url.toString();
        int fragment = text.indexOf('#');
        String base = fragment < 0 ? text : text.substring(0, fragment);
        String tail = fragment < 0 ? "" : text.substring(fragment);
        return URI.create(base + (query == null ? "?" : query.isEmpty() ? "" : "&") + CLIENT + tail);
    }

    private static List<IpPrefix> canary(Settings settings) throws ConfigException {
        String value = settings.text(CANARY, DEFAULT_CANARY);
        if (value.toLowerCase(Locale.ROOT).equals("off")) {
            return List.of();
        }
        List<IpPrefix> prefixes = new ArrayList<>();
        for (String item : value.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            try {
                prefixes.add(IpPrefix.parse(item.strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(CANARY, "'" + item.strip() + "': " + e.getMessage());
            }
        }
        return prefixes;
    }
}
