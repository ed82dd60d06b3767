package net.rampart.detect.alert;

import net.rampart.wire.ip.IpPrefix;

/**
 * One route that showed an alert's condition, or (for a visibility loss) the vantage point that
 * stopped carrying the prefix.
 *
 * @param asPath the AS path as text, origin last ("64500 64501"); empty for a withdrawal
 */
public record Evidence(long timeMillis, String vantagePoint, IpPrefix prefix, String asPath) {
}
