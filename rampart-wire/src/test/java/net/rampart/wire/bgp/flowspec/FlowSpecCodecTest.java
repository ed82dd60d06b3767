package net.rampart.wire.bgp.flowspec;

import static net.rampart.wire.bgp.WireFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.rampart.wire.DecodeException;
import net.rampart.wire.WireCursor;
import net.rampart.wire.bgp.BgpArbitraries;
import net.rampart.wire.bgp.ByteSink;
import net.rampart.wire.ip.Ipv4Prefix;
import net.rampart.wire.ip.Ipv6Prefix;
import org.junit.jupiter.api.Test;

class FlowSpecCodecTest {

    private static byte[] encode(FlowSpecNlri nlri) {
        ByteSink out = new ByteSink();
        FlowSpecCodec.write(nlri, out);
        return out.toByteArray();
    }

    private static FlowSpecNlri decode(int afi, byte[] wire) {
        WireCursor in = new WireCursor(wire);
        FlowSpecNlri nlri = FlowSpecCodec.readOne(in, afi);
        assertThat(in.hasRemaining()).isFalse();
        return nlri;
    }

    @Test
    void rfc8955FirstExample() {
        // Packets to 192.0.2.0/24 and TCP port 25 (RFC 8955 section 4.2.2).
        FlowSpecNlri rule = new FlowSpecNlri(1, List.of(
                new FlowSpecComponent.Prefix(FlowSpecComponent.DESTINATION_PREFIX, Ipv4Prefix.parse("192.0.2.0/24")),
                new FlowSpecComponent.Numeric(FlowSpecComponent.IP_PROTOCOL, List.of(NumericMatch.eq(6))),
                new FlowSpecComponent.Numeric(FlowSpecComponent.PORT, List.of(NumericMatch.eq(25)))));
        byte[] wire = hex("0b 01 18 c0 00 02 03 81 06 04 81 19");
        assertThat(encode(rule)).isEqualTo(wire);
        assertThat(decode(1, wire)).isEqualTo(rule);
    }

    @Test
    void ipv6PrefixWithOffsetCarriesOnlyTheBitsFromTheOffset() {
        // ::abcd:0:0:0:0/64 matched from bit 48: two pattern bytes.
        FlowSpecNlri rule = new FlowSpecNlri(2, List.of(new FlowSpecComponent.Prefix(
                FlowSpecComponent.DESTINATION_PREFIX, new Ipv6Prefix(0xABCDL, 0, 64), 48),
                new FlowSpecComponent.Numeric(FlowSpecComponent.FLOW_LABEL, List.of(NumericMatch.eq(0x12345)))));
        // flow label 0x12345 needs 4 value bytes: operator 0xa1 = end, 4-byte length, ==
        byte[] wire = hex("0b 01 40 30 ab cd 0d a1 00 01 23 45");
        assertThat(encode(rule)).isEqualTo(wire);
        assertThat(decode(2, wire)).isEqualTo(rule);
    }

    @Test
    void rfc8956OffsetExampleShiftsThePatternByBits() {
        // RFC 8956 section 3.8.2: source ::1:1234:5678:9800:0/104 matched from bit 60.
        FlowSpecNlri rule = new FlowSpecNlri(2, List.of(new FlowSpecComponent.Prefix(FlowSpecComponent.SOURCE_PREFIX,
                new Ipv6Prefix(0x1L, 0x1234_5678_9800_0000L, 104), 60)));
        byte[] wire = hex("09 02 68 3c 11 23 45 67 89 80");
        assertThat(encode(rule)).isEqualTo(wire);
        assertThat(decode(2, wire)).isEqualTo(rule);
        assertThatThrownBy(() -> decode(2, hex("04 02 30 30 00"))).as("offset equal to length")
                .isInstanceOf(DecodeException.class);
    }

    @Test
    void numericAndBitmaskOperatorBits() {
        // port >= 1024 && <= 2048, TCP flags match SYN not ACK, fragment is-fragment
        FlowSpecNlri rule = new FlowSpecNlri(1, List.of(
                new FlowSpecComponent.Numeric(FlowSpecComponent.DESTINATION_PORT,
                        List.of(NumericMatch.of(false, ">=", 1024), NumericMatch.of(true, "<=", 2048))),
                new FlowSpecComponent.Bitmask(FlowSpecComponent.TCP_FLAGS,
                        List.of(new BitmaskMatch(false, false, true, 1, 0x02), new BitmaskMatch(true, true, false, 1, 0x10))),
                new FlowSpecComponent.Bitmask(FlowSpecComponent.FRAGMENT, List.of(new BitmaskMatch(false, false, false, 1, 0x02)))));
        byte[] wire = hex("0f 05 13 04 00 d5 08 00 09 01 02 c2 10 0c 80 02");
        assertThat(encode(rule)).isEqualTo(wire);
        assertThat(decode(1, wire)).isEqualTo(rule);
    }

    @Test
    void nlriOf240BytesOrMoreUsesTheTwoOctetLength() {
        List<NumericMatch> ports = new ArrayList<>();
        for (int port = 1000; port < 1100; port++) {
            ports.add(NumericMatch.eq(port));
        }
        FlowSpecNlri rule = new FlowSpecNlri(1, List.of(new FlowSpecComponent.Numeric(FlowSpecComponent.PORT, ports)));
        byte[] wire = encode(rule);
        int length = 1 + 3 * ports.size();
        assertThat(length).isGreaterThanOrEqualTo(240);
        assertThat(wire).hasSize(2 + length);
        assertThat(wire[0] & 0xFF).isEqualTo(0xF0 | (length >>> 8));
        assertThat(wire[1] & 0xFF).isEqualTo(length & 0xFF);
        assertThat(decode(1, wire)).isEqualTo(rule);
    }

    @Test
    void rejectsComponentsOutOfOrderOrRepeated() {
        assertThatThrownBy(() -> decode(1, hex("06 03 81 06 01 08 0a"))).isInstanceOf(DecodeException.class)
                .hasMessageContaining("strictly increase");
        assertThatThrownBy(() -> decode(1, hex("06 03 81 06 03 81 11"))).isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> new FlowSpecNlri(1, List.of(
                new FlowSpecComponent.Numeric(FlowSpecComponent.PORT, List.of(NumericMatch.eq(1))),
                new FlowSpecComponent.Numeric(FlowSpecComponent.IP_PROTOCOL, List.of(NumericMatch.eq(6))))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMalformedRules() {
        assertThatThrownBy(() -> decode(1, hex("00"))).as("empty").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode(1, hex("03 03 01 06"))).as("no end-of-list bit").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode(1, hex("03 0d 81 01"))).as("flow label in IPv4").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode(2, hex("03 0e 81 01"))).as("type 14").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode(1, hex("05 01 21 0a 00 00"))).as("prefix length 33").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode(2, hex("04 01 10 20 ff"))).as("offset above length").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode(1, hex("09 03 81 06"))).as("length overruns").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode(1, hex("03 03 b1 06"))).as("value overruns").isInstanceOf(DecodeException.class);
        assertThatThrownBy(() -> decode(1, hex("f0"))).as("truncated long length").isInstanceOf(DecodeException.class);
    }

    @Property(tries = 500)
    void rulesRoundTrip(@ForAll("rules") FlowSpecNlri rule) {
        assertThat(decode(rule.afi(), encode(rule))).isEqualTo(rule);
    }

    @Provide
    Arbitrary<FlowSpecNlri> rules() {
        return Arbitraries.of(1, 2).flatMap(BgpArbitraries::flowSpec);
    }

    @Test
    void actionsAsExtendedCommunities() {
        assertThat(new FlowSpecAction.TrafficRateBytes(0, 0f).toExtendedCommunity()).isEqualTo(0x8006_0000_0000_0000L);
        assertThat(new FlowSpecAction.TrafficRateBytes(65001, 1_000_000f).toExtendedCommunity())
                .isEqualTo(0x8006_FDE9_4974_2400L);
        assertThat(new FlowSpecAction.TrafficAction(true, true).toExtendedCommunity()).isEqualTo(0x8007_0000_0000_0003L);
        assertThat(new FlowSpecAction.RedirectAs2(65001, 100).toExtendedCommunity()).isEqualTo(0x8008_FDE9_0000_0064L);
        assertThat(new FlowSpecAction.RedirectIpv4(0xC0000201, 7).toExtendedCommunity()).isEqualTo(0x8108_C000_0201_0007L);
        assertThat(new FlowSpecAction.RedirectAs4(4200000000L, 7).toExtendedCommunity()).isEqualTo(0x8208_FA56_EA00_0007L);
        assertThat(new FlowSpecAction.TrafficMarking(46).toExtendedCommunity()).isEqualTo(0x8009_0000_0000_002EL);
        assertThat(FlowSpecAction.fromExtendedCommunity(0x0002_FDE9_0000_0064L)).as("route target").isEmpty();
    }

    @Property
    void actionsRoundTrip(@ForAll("actions") FlowSpecAction action) {
        assertThat(FlowSpecAction.fromExtendedCommunity(action.toExtendedCommunity())).contains(action);
    }

    @Provide
    Arbitrary<FlowSpecAction> actions() {
        Arbitrary<Integer> as2 = Arbitraries.integers().between(0, 0xFFFF);
        Arbitrary<Float> rate = Arbitraries.floats().between(0, 1e12f);
        return Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(as2, rate).as(FlowSpecAction.TrafficRateBytes::new),
                net.jqwik.api.Combinators.combine(as2, rate).as(FlowSpecAction.TrafficRatePackets::new),
                net.jqwik.api.Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false))
                        .as(FlowSpecAction.TrafficAction::new),
                net.jqwik.api.Combinators.combine(as2, BgpArbitraries.u32()).as(FlowSpecAction.RedirectAs2::new),
                net.jqwik.api.Combinators.combine(Arbitraries.integers(), as2).as(FlowSpecAction.RedirectIpv4::new),
                net.jqwik.api.Combinators.combine(BgpArbitraries.u32(), as2).as(FlowSpecAction.RedirectAs4::new),
                Arbitraries.integers().between(0, 63).map(FlowSpecAction.TrafficMarking::new));
    }
}
