package net.rampart.mitigation.bgp;

/**
 * Told when a BGP session comes up, the first time and after every reconnect: a new session
 * carries nothing, so the listener sends it the desired rules at once rather than at the next
 * reconciliation pass. Called off the network threads, so it may block; the speaker sends
 * End-of-RIB once every listener has returned.
 */
@FunctionalInterface
public interface SessionListener {

    void established(BgpSession session);
}
