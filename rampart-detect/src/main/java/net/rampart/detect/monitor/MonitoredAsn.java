package net.rampart.detect.monitor;

/**
 * An AS the operator watches, and its declared neighbours by relationship: {@code upstreams}
 * (its providers; the first-hop check reads them), {@code downstreams} (its customers) and
 * {@code peers} (lateral, settlement-free). The neighbour and route leak checks read all three.
 */
public record MonitoredAsn(long asn, AsnSet upstreams, AsnSet downstreams, String group, AsnSet peers) {

    /** Whether the file declares any neighbour of it: only then are its AS path neighbours judged. */
    public boolean declaresNeighbours() {
        return !upstreams.isEmpty() || !downstreams.isEmpty() || !peers.isEmpty();
    }

    /** One of its declared upstreams, downstreams or peers. */
    public boolean knows(long neighbour) {
        return upstreams.contains(neighbour) || downstreams.contains(neighbour) || peers.contains(neighbour);
    }

    /**
     * A provider or a peer: an AS it must not pass routes learned from another provider or peer to
     * (valley-free routing).
     */
    public boolean aboveOrBeside(long neighbour) {
        return upstreams.contains(neighbour) || peers.contains(neighbour);
    }
}
