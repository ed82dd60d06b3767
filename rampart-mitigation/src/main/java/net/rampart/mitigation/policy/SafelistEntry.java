package net.rampart.mitigation.policy;

import net.rampart.wire.ip.IpPrefix;

/**
 * Addresses Rampart must never filter (resolvers, routers, monitoring), with why.
 *
 * @param origin {@code file} for the inventory file, else who added it through the API
 */
public record SafelistEntry(IpPrefix prefix, String reason, String origin) {

    /** The shortest IPv4 prefix a new safelist entry may have. */
    public static final int MIN_IPV4_LENGTH = 8;
    /** The shortest IPv6 prefix a new safelist entry may have. */
    public static final int MIN_IPV6_LENGTH = 16;

    /**
     * Refuses a prefix too wide to safelist. An entry such as {@code 0.0.0.0/0} or {@code ::/0}
     * switches mitigation off for every victim without any error, so it is far more likely a
     * mistake than a policy. Checked where entries are added (inventory file, API), not where
     * stored ones are read back, so an entry stored before this rule can still be listed and
     * removed.
     *
     * @throws IllegalArgumentException naming the prefix and the minimum length
     */
    public static void requireNarrowEnough(IpPrefix prefix) {
        int min = prefix.isIpv4() ? MIN_IPV4_LENGTH : MIN_IPV6_LENGTH;
        if (prefix.length() < min) {
            String family = prefix.isIpv4() ? "IPv4" : "IPv6";
            throw new IllegalArgumentException(prefix + " is too wide to safelist: " + family
                    + " safelist prefixes must be /" + min + " or longer");
        }
    }
}
