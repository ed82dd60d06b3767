package net.rampart.mitigation.event;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** IP protocol names accepted wherever a protocol may be given by name instead of number. */
public final class IpProtocols {

    private static final Map<String, Integer> BY_NAME = Map.of(
            "icmp", 1, "tcp", 6, "udp", 17, "gre", 47, "esp", 50, "icmpv6", 58, "sctp", 132);

    private IpProtocols() {
    }

    /** A protocol number 0-255 or one of the names above; empty when neither. */
    public static OptionalInt parse(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        Integer named = BY_NAME.get(s);
        if (named != null) {
            return OptionalInt.of(named);
        }
        try {
            int n = Integer.parseInt(s);
            return n >= 0 && n <= 255 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
