package net.rampart.detect.monitor;

/**
 * An AS the operator watches: the neighbours it should be reached through (checked by the
 * first-hop check) and, for leak detection later, the ones below it.
 */
public record MonitoredAsn(long asn, AsnSet upstreams, AsnSet downstreams, String group) {
}
