package net.rampart.wire.bgp;

import static net.rampart.wire.bgp.WireFixtures.hex;
import static net.rampart.wire.bgp.WireFixtures.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.flowspec.FlowSpecComponent;
import net.rampart.wire.bgp.flowspec.FlowSpecNlri;
import net.rampart.wire.bgp.flowspec.NumericMatch;
import net.rampart.wire.bgp.nlri.UnicastNlri;
import net.rampart.wire.ip.Ipv4Prefix;
import org.junit.jupiter.api.Test;

/**
 * Truncated, overlong, zero-length, maximum-size and mutated input: the decoder returns a
 * message (an UPDATE possibly carrying RFC 7606 errors) or throws {@link DecodeException}, and
 * nothing else.
 */
class HostileInputTest {

    private static final PeerCapabilities EXTENDED = PeerCapabilities.FOUR_OCTET_AS.withExtendedMessage(true);

    /** Decodes, accepting only a result or DecodeException. */
    private static BgpMessage decodeOrNull(byte[] wire, PeerCapabilities caps) {
        try {
            return BgpMessageDecoder.decode(wire, caps);
        } catch (DecodeException e) {
            return null;
        }
    }

    /** The message with its body cut to {@code bodyLength} bytes and the header length fixed up. */
    private static byte[] truncatedBody(byte[] wire, int bodyLength) {
        return message(wire[18] & 0xFF, Arrays.copyOfRange(wire, 19, 19 + bodyLength));
    }

    @Property(tries = 150)
    void everyTruncationOfAnUpdateIsHandled(@ForAll("updates") byte[] wire) {
        for (int n = 0; n < wire.length - 19; n++) {
            BgpMessage m = decodeOrNull(truncatedBody(wire, n), EXTENDED);
            if (m instanceof UpdateMessage u && n < wire.length - 19) {
                // A shorter body cannot be the same UPDATE without complaint.
                assertThat(u.errors().isEmpty() && u.equals(BgpMessageDecoder.decode(wire, EXTENDED))).isFalse();
            }
        }
    }

    @Property(tries = 300)
    void mutatedUpdatesAreHandled(@ForAll("updates") byte[] wire, @ForAll("positions") List<Integer> positions,
                                  @ForAll byte value) {
        byte[] mutated = wire.clone();
        for (int p : positions) {
            int at = 19 + Math.floorMod(p, wire.length - 19);
            mutated[at] = (byte) (mutated[at] ^ value);
        }
        decodeOrNull(mutated, EXTENDED);
        decodeOrNull(mutated, PeerCapabilities.LEGACY.withExtendedMessage(true).withAddPath(AfiSafi.IPV4_UNICAST,
                AfiSafi.IPV6_UNICAST, AfiSafi.L2VPN_EVPN, AfiSafi.IPV4_VPN));
    }

    @Property(tries = 300)
    void randomBodiesOfEveryTypeAreHandled(@ForAll("types") int type, @ForAll("bodies") byte[] body) {
        decodeOrNull(message(type, body), EXTENDED);
    }

    @Provide
    Arbitrary<Integer> types() {
        return Arbitraries.integers().between(0, 6);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    @Provide
    Arbitrary<List<Integer>> positions() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<byte[]> updates() {
        return new BgpMessageRoundTripTest().updates().map(s -> BgpMessageEncoder.encode(s.message(), EXTENDED))
                .filter(w -> w.length > 19);
    }

    @Test
    void zeroLengthFields() {
        assertThatThrownBy(() -> BgpMessageDecoder.decode(message(BgpMessage.TYPE_UPDATE, new byte[0]), EXTENDED))
                .isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> BgpMessageDecoder.decode(message(BgpMessage.TYPE_OPEN, new byte[0]), EXTENDED))
                .isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> BgpMessageDecoder.decode(new byte[0], EXTENDED)).isInstanceOf(DecodeException.class);
        // Zero-length attributes: fine for ATOMIC_AGGREGATE and AS_PATH, malformed for the rest.
        UpdateMessage u = WireFixtures.decodeUpdate(WireFixtures.update("",
                "40 01 01 00 40 02 00 40 03 04 0a 00 00 01 40 06 00 c0 08 00", "08 0a"), EXTENDED);
        assertThat(u.errors()).extracting(UpdateError::attributeType).containsExactly(PathAttribute.COMMUNITIES);
        assertThat(u.attribute(PathAttribute.AsPath.class)).contains(new PathAttribute.AsPath(List.of()));
    }

    @Test
    void lengthsPointingFarBeyondTheInputNeverAllocate() {
        // MP_REACH claiming a 255-byte next hop inside a 6-byte attribute; extended-length attribute of 65535 bytes.
        UpdateMessage a = WireFixtures.decodeUpdate(WireFixtures.update("", "80 0e 05 00 01 01 ff 00", ""), EXTENDED);
        assertThat(a.action()).isEqualTo(ErrorAction.SESSION_RESET);
        UpdateMessage b = WireFixtures.decodeUpdate(WireFixtures.update("", "c0 08 ff ff 00 00", ""), EXTENDED);
        assertThat(b.action()).isEqualTo(ErrorAction.TREAT_AS_WITHDRAW);
        assertThatThrownBy(() -> BgpMessageDecoder.decode(message(BgpMessage.TYPE_OPEN,
                hex("04 fd e9 00 5a c0 00 02 01 ff ff ff ff")), EXTENDED)).isInstanceOf(DecodeException.class);
    }

    @Test
    void maximumSizeMessages() {
        for (PeerCapabilities caps : List.of(PeerCapabilities.LEGACY, EXTENDED)) {
            int max = caps.maxMessageLength();
            // Fill an UPDATE to exactly the maximum with /24 prefixes (4 bytes each) and one pad prefix.
            List<UnicastNlri> prefixes = new ArrayList<>();
            int fixed = 19 + 2 + 2 + 4 + 3 + 7 + 7; // header, two length fields, the four attributes
            int room = max - fixed;
            for (int i = 0; i < room / 4; i++) {
                prefixes.add(new UnicastNlri(Ipv4Prefix.of(0x0A000000 + (i << 8), 24)));
            }
            for (int rest = room % 4; rest > 0; rest--) {
                prefixes.add(new UnicastNlri(Ipv4Prefix.of(0, 0)));
            }
            UpdateMessage update = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0),
                    PathAttribute.AsPath.sequence(), new PathAttribute.NextHop(1),
                    new PathAttribute.LocalPref(100)), prefixes);
            byte[] wire = BgpMessageEncoder.encode(update, caps);
            assertThat(wire).hasSize(max);
            assertThat(BgpMessageDecoder.decode(wire, caps)).isEqualTo(update);
            List<UnicastNlri> oneMore = new ArrayList<>(prefixes);
            oneMore.add(new UnicastNlri(Ipv4Prefix.of(0, 0)));
            assertThatThrownBy(() -> BgpMessageEncoder.encode(new UpdateMessage(List.of(), update.attributes(), oneMore), caps))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void flowSpecRuleOfMaximumLength() {
        List<NumericMatch> matches = new ArrayList<>();
        // 1 type byte + 1364 terms of 3 bytes = 4093, plus one 2-byte term: 4095.
        for (int i = 0; i < 1364; i++) {
            matches.add(NumericMatch.eq(256 + i));
        }
        matches.add(NumericMatch.eq(1));
        FlowSpecNlri rule = new FlowSpecNlri(1, List.of(new FlowSpecComponent.Numeric(FlowSpecComponent.PORT, matches)));
        ByteSink out = new ByteSink();
        net.rampart.wire.bgp.flowspec.FlowSpecCodec.write(rule, out);
        assertThat(out.size()).isEqualTo(2 + FlowSpecNlri.MAX_LENGTH);
        matches.add(NumericMatch.eq(2));
        FlowSpecNlri tooLong = new FlowSpecNlri(1, List.of(new FlowSpecComponent.Numeric(FlowSpecComponent.PORT, matches)));
        assertThatThrownBy(() -> net.rampart.wire.bgp.flowspec.FlowSpecCodec.write(tooLong, new ByteSink()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
