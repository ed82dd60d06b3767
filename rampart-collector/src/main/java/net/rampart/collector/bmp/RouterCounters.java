package net.rampart.collector.bmp;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one router's session has seen, for the periodic statistics line and the metrics. Written
 * by the router's event loop, read by the reporter.
 */
public final class RouterCounters {

    private final String router;
    private final AtomicLong messagesReceived = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong messagesProcessed = new AtomicLong();
    private final AtomicLong parseErrors = new AtomicLong();
    private final AtomicLong[] messagesByType = new AtomicLong[7];
    private final AtomicLong ipv4Routes = new AtomicLong();
    private final AtomicLong ipv6Routes = new AtomicLong();
    private final AtomicLong evpnRoutes = new AtomicLong();
    private final AtomicLong otherRoutes = new AtomicLong();
    private final AtomicLong unknownTlvs = new AtomicLong();
    private final AtomicLong malformedTrailers = new AtomicLong();
    private volatile boolean closed;

    public RouterCounters(String router) {
        this.router = router;
        for (int i = 0; i < messagesByType.length; i++) {
            messagesByType[i] = new AtomicLong();
        }
    }

    void received(int bytes) {
        messagesReceived.incrementAndGet();
        bytesReceived.addAndGet(bytes);
    }

    void processed(int messageType) {
        messagesProcessed.incrementAndGet();
        if (messageType >= 0 && messageType < messagesByType.length) {
            messagesByType[messageType].incrementAndGet();
        }
    }

    void parseError() {
        parseErrors.incrementAndGet();
    }

    /** TLVs after a Route Monitoring's UPDATE of a type not read (draft-ietf-grow-bmp-tlv), skipped. */
    void unknownTlvs(int count) {
        unknownTlvs.addAndGet(count);
    }

    /** Route Monitoring messages whose bytes after the UPDATE did not form TLVs (the UPDATE was kept). */
    void malformedTrailer() {
        malformedTrailers.incrementAndGet();
    }

    public long unknownTlvs() {
        return unknownTlvs.get();
    }

    public long malformedTrailers() {
        return malformedTrailers.get();
    }

    void routes(String familyGroup, int count) {
        switch (familyGroup) {
            case "ipv4" -> ipv4Routes.addAndGet(count);
            case "ipv6" -> ipv6Routes.addAndGet(count);
            case "evpn" -> evpnRoutes.addAndGet(count);
            default -> otherRoutes.addAndGet(count);
        }
    }

    /** Adds another session's counts to these, so totals survive the session. */
    void absorb(RouterCounters other) {
        messagesReceived.addAndGet(other.messagesReceived());
        bytesReceived.addAndGet(other.bytesReceived());
        messagesProcessed.addAndGet(other.messagesProcessed());
        parseErrors.addAndGet(other.parseErrors());
        unknownTlvs.addAndGet(other.unknownTlvs());
        malformedTrailers.addAndGet(other.malformedTrailers());
        for (int i = 0; i < messagesByType.length; i++) {
            messagesByType[i].addAndGet(other.messagesOfType(i));
        }
        ipv4Routes.addAndGet(other.routes("ipv4"));
        ipv6Routes.addAndGet(other.routes("ipv6"));
        evpnRoutes.addAndGet(other.routes("evpn"));
        otherRoutes.addAndGet(other.routes("other"));
    }

    void closed() {
        closed = true;
    }

    public String router() {
        return router;
    }

    public boolean isClosed() {
        return closed;
    }

    public long messagesReceived() {
        return messagesReceived.get();
    }

    public long bytesReceived() {
        return bytesReceived.get();
    }

    public long messagesProcessed() {
        return messagesProcessed.get();
    }

    public long parseErrors() {
        return parseErrors.get();
    }

    /** Messages of a BMP type (0 route monitoring ... 6 route mirroring) processed. */
    public long messagesOfType(int type) {
        return messagesByType[type].get();
    }

    /** Route announcements and withdrawals applied, by family group: ipv4, ipv6, evpn, other. */
    public long routes(String familyGroup) {
        return switch (familyGroup) {
            case "ipv4" -> ipv4Routes.get();
            case "ipv6" -> ipv6Routes.get();
            case "evpn" -> evpnRoutes.get();
            default -> otherRoutes.get();
        };
    }
}
