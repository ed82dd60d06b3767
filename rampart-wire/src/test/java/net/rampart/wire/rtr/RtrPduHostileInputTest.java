package net.rampart.wire.rtr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.rampart.wire.DecodeException;
import org.junit.jupiter.api.Test;

class RtrPduHostileInputTest {

    private static final HexFormat HEX = HexFormat.of();

    private static RtrPdu decodeHex(String hex) {
        return RtrPduDecoder.decode(ByteBuffer.wrap(HEX.parseHex(hex)));
    }

    @Property(tries = 2000)
    void arbitraryBytesOnlyEverFailWithDecodeException(@ForAll @Size(max = 64) byte[] bytes) {
        try {
            RtrPdu pdu = new RtrFramer().next(ByteBuffer.wrap(bytes));
            if (pdu != null) {
                assertThat(RtrPduDecoder.decode(ByteBuffer.wrap(RtrPduEncoder.encode(pdu)))).isEqualTo(pdu);
            }
        } catch (DecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Property(tries = 2000)
    void mutatedValidPdusOnlyEverFailWithDecodeException(@ForAll("mutated") byte[] bytes) {
        try {
            RtrPdu pdu = RtrPduDecoder.decode(ByteBuffer.wrap(bytes));
            assertThat(RtrPduDecoder.decode(ByteBuffer.wrap(RtrPduEncoder.encode(pdu)))).isEqualTo(pdu);
        } catch (DecodeException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return RtrPduArbitraries.anyPdu().map(RtrPduEncoder::encode).flatMap(bytes -> net.jqwik.api.Combinators
                .combine(net.jqwik.api.Arbitraries.integers().between(0, bytes.length - 1),
                        net.jqwik.api.Arbitraries.bytes())
                .as((i, b) -> {
                    byte[] copy = bytes.clone();
                    copy[i] = b;
                    return copy;
                }));
    }

    @Test
    void framerRefusesAHugeLengthBeforeBufferingIt() {
        // A Reset Query header claiming 4 GiB.
        ByteBuffer buf = ByteBuffer.wrap(HEX.parseHex("02020000ffffffff"));
        assertThatThrownBy(() -> new RtrFramer().completePduLength(buf))
                .isInstanceOf(DecodeException.class).hasMessageContaining("4294967295");
    }

    @Test
    void framerWaitsForTheRestOfAPdu() {
        ByteBuffer buf = ByteBuffer.wrap(HEX.parseHex("010000010000000c0000"));
        assertThat(new RtrFramer().completePduLength(buf)).isEqualTo(-1);
        assertThat(buf.position()).isZero();
    }

    @Test
    void errorReportWithEncapsulatedLengthBeyondThePduIsRejectedWithoutAllocating() {
        // Error Report of 16 bytes whose encapsulated PDU claims 2 GiB.
        assertThatThrownBy(() -> decodeHex("010a0000000000107fffffff00000000"))
                .isInstanceOf(DecodeException.class).hasMessageContaining("encapsulated PDU length");
    }

    @Test
    void errorReportTextMustFillThePdu() {
        assertThatThrownBy(() -> decodeHex("010a000000000014" + "00000000" + "00000005" + "41424344"))
                .isInstanceOf(DecodeException.class).hasMessageContaining("text length");
    }

    @Test
    void errorReportTextMustBeUtf8() {
        assertThatThrownBy(() -> decodeHex("010a000000000012" + "00000000" + "00000002" + "c328"))
                .isInstanceOf(DecodeException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void unsupportedVersionIsNamed() {
        assertThatThrownBy(() -> decodeHex("0302000000000008"))
                .isInstanceOf(DecodeException.class).hasMessageContaining("version 3");
    }

    @Test
    void routerKeyDoesNotExistInVersion0() {
        assertThatThrownBy(() -> decodeHex("0009000000000020" + "00".repeat(24)))
                .isInstanceOf(DecodeException.class).hasMessageContaining("ROUTER_KEY");
    }

    @Test
    void aspaDoesNotExistBelowVersion2() {
        assertThatThrownBy(() -> decodeHex("010b01000000000c0000fde8"))
                .isInstanceOf(DecodeException.class).hasMessageContaining("ASPA");
    }

    @Test
    void endOfDataLengthDependsOnVersion() {
        assertThatThrownBy(() -> decodeHex("0007000100000018" + "00".repeat(16)))
                .isInstanceOf(DecodeException.class).hasMessageContaining("12 bytes");
        assertThat(decodeHex("0107000100000018" + "00000005" + "00000e10" + "00000258" + "00001c20"))
                .isEqualTo(new EndOfData(1, 1, 5, 3600, 600, 7200));
    }

    @Test
    void maxLengthBelowPrefixLengthIsCorrupt() {
        assertThatThrownBy(() -> decodeHex("0104000000000014" + "01181000" + "0a000000" + "0000fde8"))
                .isInstanceOf(DecodeException.class).hasMessageContaining("max length 16");
    }

    @Test
    void knownBytesDecodeToTheRfcFields() {
        assertThat(decodeHex("0104000000000014" + "01181800" + "c0000200" + "0000fde8"))
                .isEqualTo(new Ipv4PrefixPdu(1, true, 24, 24, 0xc0000200, 65000));
        assertThat(decodeHex("020b010000000014" + "00010000" + "0000fde8" + "0000fde9"))
                .isEqualTo(new Aspa(2, true, 65536, new int[] {65000, 65001}));
    }
}
