package net.rampart.wire.bmp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.rampart.wire.bgp.UpdateError;
import net.rampart.wire.bgp.attr.PathAttribute;
import org.junit.jupiter.api.Test;

/** Every BMP message of the real Huawei, Cisco and 6WIND/FRR captures frames and decodes. */
class BmpCaptureDecodeTest {

    @Test
    void everyMessageOfEveryCaptureDecodes() throws Exception {
        for (Path capture : BmpCaptures.captures()) {
            List<BmpCaptures.Session> sessions = BmpCaptures.sessions(capture);
            assertThat(sessions).as("BMP streams in %s", capture.getFileName()).isNotEmpty();
            Map<Integer, Integer> types = new TreeMap<>();
            for (BmpCaptures.Session session : sessions) {
                assertThat(session.stream().gaps()).as("TCP gaps in %s", session.stream()).isZero();
                BmpSession state = new BmpSession();
                for (byte[] message : session.messages()) {
                    BmpMessage decoded = state.decode(message);
                    types.merge(decoded.type(), 1, Integer::sum);
                    assertThat(decoded).isNotInstanceOf(BmpMessage.Unknown.class);
                    if (decoded instanceof BmpMessage.RouteMonitoring rm) {
                        rm.update().errors().forEach(e -> assertKnownRouterQuirk(capture, rm.peer(), e));
                    }
                }
            }
            assertThat(types).as("message types in %s", capture.getFileName()).containsKey(BmpMessage.ROUTE_MONITORING);
        }
    }

    /**
     * The only RFC 7606 findings in these captures come from the 6WIND/FRR router of 205 and
     * 206: UPDATEs with no NEXT_HOP at all, and two UPDATEs of its own routes (Loc-RIB and its
     * "self" peer 0.0.0.0, neither announced by a Peer Up) whose AS_PATH is in 2-octet form
     * although the A flag is clear. pmacct's decode shows the same: next hop 0.0.0.0, empty AS
     * path. Anything else would be a decoder error.
     */
    private static void assertKnownRouterQuirk(Path capture, PerPeerHeader peer, UpdateError error) {
        assertThat(capture.getFileName().toString()).as("RFC 7606 finding %s", error).matches("20[56]-.*");
        if (error.attributeType() == 2) {
            assertThat(peer.address().isAnyLocalAddress()).as("2-octet AS_PATH from %s", peer).isTrue();
            assertThat(peer.isLegacyAsPath()).isFalse();
        } else {
            assertThat(error.problem()).isEqualTo(UpdateError.Problem.MISSING_ATTRIBUTE);
            assertThat(error.attributeType()).isEqualTo(PathAttribute.NEXT_HOP);
        }
    }
}
