package net.rampart.rpki.source;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

import net.rampart.rpki.rtr.RtrClient;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import net.rampart.wire.rtr.Aspa;
import net.rampart.wire.rtr.ErrorCode;
import net.rampart.wire.rtr.ErrorReport;
import net.rampart.wire.rtr.Ipv4PrefixPdu;
import net.rampart.wire.rtr.Ipv6PrefixPdu;
import net.rampart.wire.rtr.RouterKey;
import net.rampart.wire.rtr.RtrPdu;

/**
 * An upstream RTR cache: Rampart connects as a router, asks for the whole set (Reset
 * Query) and disconnects. It starts at version 2 and steps down when the cache says it
 * speaks a lower one.
 */
public final class RtrVrpSource implements VrpSource {

    private final String host;
    private final int port;
    private final Duration timeout;

    public RtrVrpSource(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "rtr://" + host + ":" + port;
    }

    @Override
    public SourceData fetch(Instant now) throws IOException {
        int version = RtrPdu.MAX_VERSION;
        while (true) {
            try (RtrClient client = RtrClient.connect(new InetSocketAddress(host, port), version, timeout)) {
                return toSourceData(client.reset(), now);
            } catch (RtrClient.RefusedException e) {
                if (e.answer() instanceof ErrorReport r && r.code() == ErrorCode.UNSUPPORTED_PROTOCOL_VERSION
                        && r.version() < version) {
                    version = r.version();
                    continue;
                }
                throw e;
            }
        }
    }

    private SourceData toSourceData(RtrClient.Sync sync, Instant now) {
        EntryChecker checker = new EntryChecker(name(), now);
        for (RtrPdu pdu : sync.payload()) {
            switch (pdu) {
                // Through the same strict checks as any source: host bits set in a PDU drop the entry.
                case Ipv4PrefixPdu p when p.announce() -> checker.roa(Long.toString(p.asn()),
                        Ipv4Prefix.formatAddress(p.address()) + "/" + p.prefixLength(), p.maxLength(), "rtr",
                        null);
                case Ipv6PrefixPdu p when p.announce() -> checker.roa(Long.toString(p.asn()),
                        Ipv6Prefix.formatAddress(p.addressHigh(), p.addressLow()) + "/" + p.prefixLength(),
                        p.maxLength(), "rtr", null);
                case Aspa a when a.announce() -> checker.aspa(Long.toString(a.customerAsn()),
                        Arrays.stream(a.providers()).mapToObj(Integer::toUnsignedString).toList(), null);
                case RouterKey k when k.announce() -> checker.routerKey(Long.toString(k.asn()),
                        k.subjectKeyIdentifier(), k.subjectPublicKeyInfo());
                default -> checker.reject("malformed", pdu.toString());
            }
        }
        return checker.result("rtr", now);
    }

}
