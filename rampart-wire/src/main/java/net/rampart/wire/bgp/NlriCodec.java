package net.rampart.wire.bgp;

import java.util.List;

import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.evpn.EvpnCodec;
import net.rampart.wire.bgp.evpn.EvpnRoute;
import net.rampart.wire.bgp.flowspec.FlowSpecCodec;
import net.rampart.wire.bgp.flowspec.FlowSpecNlri;
import net.rampart.wire.bgp.nlri.LabeledNlri;
import net.rampart.wire.bgp.nlri.Nlri;
import net.rampart.wire.bgp.nlri.PrefixCodec;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.bgp.nlri.VpnNlri;

/** Picks the NLRI codec for an address family. */
public final class NlriCodec {

    private NlriCodec() {
    }

    /**
     * Decodes the NLRI of a family Rampart understands ({@link AfiSafi#isDecodable()}) until the
     * cursor's section ends.
     *
     * @param withdrawal true for MP_UNREACH_NLRI, where a labeled or VPN route carries a single
     *                   label field whatever its value (RFC 8277 section 2.4)
     */
    public static void read(WireCursor in, AfiSafi family, boolean addPath, boolean withdrawal, List<Nlri> out) {
        int afi = family.afi();
        switch (family.safi()) {
            case AfiSafi.SAFI_UNICAST, AfiSafi.SAFI_MULTICAST -> PrefixCodec.readUnicast(in, afi, addPath, out);
            case AfiSafi.SAFI_LABELED_UNICAST -> PrefixCodec.readLabeled(in, afi, addPath, withdrawal, out);
            case AfiSafi.SAFI_VPN -> PrefixCodec.readVpn(in, afi, addPath, withdrawal, out);
            case AfiSafi.SAFI_EVPN -> EvpnCodec.read(in, addPath, out);
            case AfiSafi.SAFI_FLOWSPEC -> FlowSpecCodec.read(in, afi, out);
            default -> throw new IllegalArgumentException("no NLRI codec for " + family);
        }
    }

    public static void write(AfiSafi family, Nlri nlri, ByteSink out, boolean addPath) {
        switch (nlri) {
            case UnicastNlri u when family.safi() == AfiSafi.SAFI_UNICAST || family.safi() == AfiSafi.SAFI_MULTICAST ->
                    PrefixCodec.writeUnicast(checkFamily(family, u.prefix().afi(), u), out, addPath);
            case LabeledNlri l when family.safi() == AfiSafi.SAFI_LABELED_UNICAST ->
                    PrefixCodec.writeLabeled(checkFamily(family, l.prefix().afi(), l), out, addPath);
            case VpnNlri v when family.safi() == AfiSafi.SAFI_VPN ->
                    PrefixCodec.writeVpn(checkFamily(family, v.prefix().afi(), v), out, addPath);
            case EvpnRoute e when family.equals(AfiSafi.L2VPN_EVPN) -> EvpnCodec.write(e, out, addPath);
            case FlowSpecNlri f when family.safi() == AfiSafi.SAFI_FLOWSPEC ->
                    FlowSpecCodec.write(checkFamily(family, f.afi(), f), out);
            default -> throw new IllegalArgumentException(nlri + " cannot be sent as " + family);
        }
    }

    private static <N extends Nlri> N checkFamily(AfiSafi family, int afi, N nlri) {
        if (family.afi() != afi) {
            throw new IllegalArgumentException(nlri + " is not of AFI " + family.afi());
        }
        return nlri;
    }
}
