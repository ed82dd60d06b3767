package net.rampart.wire.bgp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import net.rampart.wire.DecodeException;

/**
 * Jazzer target for the UPDATE decoder. The first input byte picks the session state (bit 0:
 * 4-octet AS, bit 1: ADD-PATH for every family), the rest is the UPDATE body. The decoder may
 * only return or throw {@link DecodeException}; an UPDATE it decodes without errors must
 * survive encode and decode unchanged. A plain {@code verify} replays the seeds and every
 * saved finding under {@code src/test/resources}; {@code JAZZER_FUZZ=1} fuzzes (see docs/wire.md).
 */
class BgpUpdateFuzzTest {

    private static final AfiSafi[] FAMILIES = {AfiSafi.IPV4_UNICAST, AfiSafi.IPV6_UNICAST, AfiSafi.IPV4_LABELED_UNICAST,
        AfiSafi.IPV6_LABELED_UNICAST, AfiSafi.IPV4_VPN, AfiSafi.IPV6_VPN, AfiSafi.L2VPN_EVPN};

    /**
     * A 2-octet AS path with a confederation segment after an ordinary one cannot be sent with
     * AS4_PATH (see {@link BgpMessageEncoder}); everything else that decodes cleanly must encode.
     */
    private static boolean reEncodable(UpdateMessage update, PeerCapabilities caps) {
        return caps.fourOctetAs() || update.attribute(net.rampart.wire.bgp.attr.PathAttribute.AsPath.class)
                .map(p -> BgpMessageEncoder.confederationSegmentsLead(p.segments())).orElse(true);
    }

    @FuzzTest(maxDuration = "45s")
    void decodeUpdate(byte[] input) {
        if (input.length == 0) {
            return;
        }
        PeerCapabilities caps = PeerCapabilities.of((input[0] & 1) != 0, true, java.util.Set.of());
        if ((input[0] & 2) != 0) {
            caps = caps.withAddPath(FAMILIES);
        }
        byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
        byte[] wire = WireFixtures.message(BgpMessage.TYPE_UPDATE, body);
        if (wire.length > BgpMessage.MAX_EXTENDED_LENGTH) {
            return;
        }
        UpdateMessage decoded;
        try {
            decoded = (UpdateMessage) BgpMessageDecoder.decode(wire, caps);
        } catch (DecodeException e) {
            return;
        }
        if (decoded.errors().isEmpty() && decoded.skippedFamilies() == 0 && reEncodable(decoded, caps)) {
            byte[] again = BgpMessageEncoder.encode(decoded, caps);
            assertThat(BgpMessageDecoder.decode(again, caps)).isEqualTo(decoded);
        }
    }
}
