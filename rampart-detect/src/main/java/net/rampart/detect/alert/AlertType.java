package net.rampart.detect.alert;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an alert is about. The wire name starts every alert key and is the name a monitors file
 * uses to switch a check off for one prefix ({@code exclude: [new_more_specific]}).
 */
public enum AlertType {

    /** The monitored prefix or a more-specific of it, originated by an AS not among its origins. */
    ORIGIN_HIJACK("origin_hijack", true, true),
    /** A prefix nobody should announce (its origins list is empty), announced. */
    SQUATTING("squatting", true, true),
    /** A monitored prefix or more-specific whose origin is an AS_SET, so no single origin can be trusted. */
    AS_SET_ORIGIN("as_set_origin", true, true),
    /** A listed origin reached through a neighbour that is not among its declared upstreams. */
    FIRST_HOP_HIJACK("first_hop_hijack", true, true),
    /** A more-specific of a monitored prefix, from a listed origin (BGPalerter's newprefix). */
    NEW_MORE_SPECIFIC("new_more_specific", true, true),
    /** An AS path that breaks a path rule of the monitored prefix. */
    PATH("path", true, true),
    /** Fewer vantage points than the threshold carry a prefix that was seen by enough of them. */
    VISIBILITY_LOSS("visibility_loss", false, true),
    /** A monitored ASN originating a prefix that no monitored prefix covers. */
    UNLISTED_PREFIX("unlisted_prefix", false, false),
    /**
     * An AS adjacent to a monitored ASN in some AS path that is none of its declared upstreams,
     * downstreams or peers: one alert per (monitored ASN, neighbour), whatever the prefixes.
     */
    NEW_NEIGHBOUR("new_neighbour", false, false),
    /**
     * An AS passing routes learned from a provider or peer to another provider or peer (RFC 7908,
     * valley-free), as the declared relationships of a monitored ASN tell: one alert per leaking AS,
     * the AS it learned from and the AS it passed them to.
     */
    ROUTE_LEAK("route_leak", false, false),
    /**
     * A route of a monitored prefix from a listed origin, tagged NO_EXPORT or NO_ADVERTISE (RFC 1997),
     * that the origin's neighbour passed on to another AS.
     */
    NO_EXPORT_LEAK("no_export_leak", false, true),
    /** A route of a monitored prefix or more-specific that RPKI origin validation finds invalid (origin or maximum length). */
    RPKI_INVALID("rpki_invalid", false, true),
    /** A route of a monitored prefix or more-specific that no VRP covers. */
    RPKI_NOT_FOUND("rpki_not_found", false, true),
    /** A route of a monitored prefix or more-specific whose RFC 2439 figure of merit reached the suppress threshold. */
    FLAP("flap", false, true),
    /** A monitored prefix lost the last VRP that authorised one of its origins. */
    RPKI_VRP_REMOVED("rpki_vrp_removed", false, true),
    /** Every VRP authorising one of a monitored prefix's origins expires within the warning window. */
    RPKI_EXPIRING("rpki_expiring", false, true),
    /**
     * The update rate of a router, a peer or a prefix group left its usual daily and weekly shape
     * (the churn anomaly detector): one alert per scope, resolved when its minutes are back in shape.
     */
    CHURN_ANOMALY("churn_anomaly", false, false),
    /**
     * A route of a monitored prefix or more-specific that the flap model expects to flap within its
     * window: one alert per prefix, resolved once a window passes with none of its routes predicted.
     */
    FLAP_PREDICTED("flap_predicted", false, true);

    private final String wireName;
    private final boolean hijack;
    private final boolean perPrefix;

    AlertType(String wireName, boolean hijack, boolean perPrefix) {
        this.wireName = wireName;
        this.hijack = hijack;
        this.perPrefix = perPrefix;
    }

    public String wireName() {
        return wireName;
    }

    /** Hijack alerts carry an ARTEMIS {@link Taxonomy} label. */
    public boolean hijack() {
        return hijack;
    }

    /** Whether the check runs per monitored prefix, and so may be listed in a prefix's {@code exclude}. */
    public boolean perPrefix() {
        return perPrefix;
    }

    public static Optional<AlertType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** The wire names of the checks a prefix may exclude, for error messages and docs. */
    public static String perPrefixNames() {
        return Arrays.stream(values()).filter(AlertType::perPrefix).map(AlertType::wireName)
                .collect(Collectors.joining(", "));
    }
}
