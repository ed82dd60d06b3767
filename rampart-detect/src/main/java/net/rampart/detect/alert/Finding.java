package net.rampart.detect.alert;

import java.util.List;
import net.rampart.wire.ip.IpPrefix;

/**
 * A condition a detector found: what an alert says, apart from its evidence and its life. Two
 * findings with the same {@link #key} are the same alert.
 *
 * @param key             stable and readable, e.g. {@code origin_hijack|192.0.2.0/24|AS64666}
 * @param prefix          the prefix the condition is about, as announced; for a condition of
 *                        an AS ({@link AlertType#NEW_NEIGHBOUR}, {@link AlertType#ROUTE_LEAK}),
 *                        the prefix of the first route that showed it
 * @param monitoredPrefix the monitored prefix that covers it, or null when none does
 *                        ({@link AlertType#UNLISTED_PREFIX}) or the condition is of an AS
 * @param asn             the AS the condition is about (the offending origin or neighbour, the
 *                        monitored ASN), or -1 for none
 * @param taxonomy        the ARTEMIS label of a hijack alert, null for the others
 * @param group           the monitors group whose channels will hear of it
 * @param summary         one sentence for people
 */
public record Finding(AlertType type, String key, IpPrefix prefix, IpPrefix monitoredPrefix, long asn,
                      Taxonomy taxonomy, String group, String summary) {

    public Finding {
        if (type.hijack() != (taxonomy != null)) {
            throw new IllegalArgumentException(type.wireName() + (type.hijack() ? " needs" : " takes no")
                    + " ARTEMIS label");
        }
    }

    /**
     * Whether one of {@code found} has {@code key}: a condition not tied to one prefix can show
     * twice in one path (an AS that appears twice in it), and is still one finding.
     */
    public static boolean anyWithKey(List<Finding> found, String key) {
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i).key().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** The key of a condition: the type, the prefix and what tells it apart from others on that prefix. */
    public static String key(AlertType type, IpPrefix prefix, String qualifier) {
        String base = type.wireName() + "|" + prefix;
        return qualifier.isEmpty() ? base : base + "|" + qualifier;
    }
}
