package net.rampart.mitigation.bgp;

import java.util.ArrayList;
import java.util.List;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.bgp.Capability;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;

/**
 * The OPEN exchange with one router (RFC 4271 section 4.2, capabilities RFC 5492): the OPEN
 * Rampart sends, with IPv4/IPv6 FlowSpec, route refresh, 4-octet AS and, when configured,
 * graceful restart; and the check of the router's, which yields what both sides agreed or why
 * the router is refused. Stateless.
 */
final class OpenNegotiation {

    sealed interface Outcome permits Agreed, Refused {
    }

    /** The router's OPEN is acceptable; the session runs with these. */
    record Agreed(long holdSeconds, PeerCapabilities capabilities, List<AfiSafi> flowSpecFamilies)
            implements Outcome {
    }

    /** The router's OPEN is refused with an OPEN Message Error NOTIFICATION of this subcode. */
    record Refused(int subcode, String reason) implements Outcome {
    }

    private final long peerAsn;
    private final SpeakerSettings settings;

    OpenNegotiation(long peerAsn, SpeakerSettings settings) {
        this.peerAsn = peerAsn;
        this.settings = settings;
    }

    OpenMessage open() {
        List<Capability> capabilities = new ArrayList<>();
        capabilities.add(new Capability.Multiprotocol(AfiSafi.IPV4_FLOWSPEC));
        capabilities.add(new Capability.Multiprotocol(AfiSafi.IPV6_FLOWSPEC));
        capabilities.add(new Capability.RouteRefresh());
        capabilities.add(new Capability.FourOctetAs(settings.localAsn()));
        if (!settings.restartTime().isZero()) {
            capabilities.add(new Capability.GracefulRestart(false, false, (int) settings.restartTime().toSeconds(),
                    List.of(new Capability.GracefulRestartFamily(AfiSafi.IPV4_FLOWSPEC, false),
                            new Capability.GracefulRestartFamily(AfiSafi.IPV6_FLOWSPEC, false))));
        }
        return OpenMessage.of(settings.localAsn(), (int) settings.holdTime().toSeconds(), settings.routerId(),
                capabilities);
    }

    /**
     * Checks the router's OPEN against the one sent. The FlowSpec families the router offered
     * may be none: the session refuses such a router itself.
     */
    Outcome negotiate(OpenMessage sent, OpenMessage received) {
        if (received.autonomousSystem() != peerAsn) {
            return new Refused(2, "peer AS " + received.autonomousSystem() + " is not the configured " + peerAsn);
        }
        int theirHold = received.holdTimeSeconds();
        if (theirHold == 1 || theirHold == 2) {
            return new Refused(6, "unacceptable hold time " + theirHold);
        }
        List<AfiSafi> families = new ArrayList<>();
        for (Capability c : received.capabilities()) {
            if (c instanceof Capability.Multiprotocol mp && mp.afiSafi().safi() == AfiSafi.SAFI_FLOWSPEC) {
                families.add(mp.afiSafi());
            }
        }
        return new Agreed(Math.min(theirHold, settings.holdTime().toSeconds()),
                PeerCapabilities.forMessagesFrom(sent, received), families);
    }
}
