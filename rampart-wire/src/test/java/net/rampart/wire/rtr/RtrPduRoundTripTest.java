package net.rampart.wire.rtr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RtrPduRoundTripTest {

    private static void assertRoundTrip(RtrPdu pdu) {
        byte[] bytes = RtrPduEncoder.encode(pdu);
        assertThat(bytes).hasSize(RtrPduEncoder.length(pdu));
        assertThat(ByteBuffer.wrap(bytes).getInt(4)).as("header length").isEqualTo(bytes.length);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        assertThat(RtrPduDecoder.decode(buf)).isEqualTo(pdu);
        assertThat(buf.hasRemaining()).isFalse();
    }

    @Property
    void serialNotify(@ForAll("serialNotify") SerialNotify pdu) {
        assertRoundTrip(pdu);
    }

    @Property
    void serialQuery(@ForAll("serialQuery") SerialQuery pdu) {
        assertRoundTrip(pdu);
    }

    @Property(tries = 20)
    void resetQuery(@ForAll("resetQuery") ResetQuery pdu) {
        assertRoundTrip(pdu);
    }

    @Property
    void cacheResponse(@ForAll("cacheResponse") CacheResponse pdu) {
        assertRoundTrip(pdu);
    }

    @Property(tries = 20)
    void cacheReset(@ForAll("cacheReset") CacheReset pdu) {
        assertRoundTrip(pdu);
    }

    @Property
    void ipv4Prefix(@ForAll("ipv4Prefix") Ipv4PrefixPdu pdu) {
        assertRoundTrip(pdu);
    }

    @Property
    void ipv6Prefix(@ForAll("ipv6Prefix") Ipv6PrefixPdu pdu) {
        assertRoundTrip(pdu);
    }

    @Property
    void endOfData(@ForAll("endOfData") EndOfData pdu) {
        assertRoundTrip(pdu);
        assertThat(RtrPduEncoder.length(pdu)).isEqualTo(pdu.version() == 0 ? 12 : 24);
    }

    @Property
    void routerKey(@ForAll("routerKey") RouterKey pdu) {
        assertRoundTrip(pdu);
    }

    @Property
    void errorReport(@ForAll("errorReport") ErrorReport pdu) {
        assertRoundTrip(pdu);
    }

    @Property
    void aspa(@ForAll("aspa") Aspa pdu) {
        assertRoundTrip(pdu);
    }

    @Property
    void framerSplitsAStreamOfPdusAtTheirBoundaries(@ForAll("pdus") java.util.List<RtrPdu> pdus) {
        ByteBuffer stream = ByteBuffer.allocate(pdus.stream().mapToInt(RtrPduEncoder::length).sum());
        pdus.forEach(p -> RtrPduEncoder.encode(p, stream));
        stream.flip();
        RtrFramer framer = new RtrFramer();
        java.util.List<RtrPdu> decoded = new java.util.ArrayList<>();
        // Feed the stream in growing windows, as TCP might deliver it.
        ByteBuffer window = stream.duplicate().limit(0);
        while (window.limit() < stream.capacity() || window.hasRemaining()) {
            RtrPdu next = framer.next(window);
            if (next != null) {
                decoded.add(next);
            } else {
                window.limit(Math.min(stream.capacity(), window.limit() + 7));
            }
        }
        assertThat(decoded).containsExactlyElementsOf(pdus);
    }

    @Provide
    Arbitrary<java.util.List<RtrPdu>> pdus() {
        return RtrPduArbitraries.anyPdu().list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<SerialNotify> serialNotify() {
        return RtrPduArbitraries.serialNotify();
    }

    @Provide
    Arbitrary<SerialQuery> serialQuery() {
        return RtrPduArbitraries.serialQuery();
    }

    @Provide
    Arbitrary<ResetQuery> resetQuery() {
        return RtrPduArbitraries.resetQuery();
    }

    @Provide
    Arbitrary<CacheResponse> cacheResponse() {
        return RtrPduArbitraries.cacheResponse();
    }

    @Provide
    Arbitrary<CacheReset> cacheReset() {
        return RtrPduArbitraries.cacheReset();
    }

    @Provide
    Arbitrary<Ipv4PrefixPdu> ipv4Prefix() {
        return RtrPduArbitraries.ipv4Prefix();
    }

    @Provide
    Arbitrary<Ipv6PrefixPdu> ipv6Prefix() {
        return RtrPduArbitraries.ipv6Prefix();
    }

    @Provide
    Arbitrary<EndOfData> endOfData() {
        return RtrPduArbitraries.endOfData();
    }

    @Provide
    Arbitrary<RouterKey> routerKey() {
        return RtrPduArbitraries.routerKey();
    }

    @Provide
    Arbitrary<ErrorReport> errorReport() {
        return RtrPduArbitraries.errorReport();
    }

    @Provide
    Arbitrary<Aspa> aspa() {
        return RtrPduArbitraries.aspa();
    }
}
