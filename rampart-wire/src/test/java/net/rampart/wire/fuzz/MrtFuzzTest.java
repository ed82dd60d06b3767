package net.rampart.wire.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import net.rampart.wire.DecodeException;
import net.rampart.wire.bgp.AfiSafi;
import net.rampart.wire.mrt.MrtReader;
import net.rampart.wire.mrt.MrtRecord;
import net.rampart.wire.mrt.MrtRouteDecoder;

/**
 * Jazzer fuzz target for the MRT reader and the BGP content of its records: arbitrary bytes as
 * an MRT file (plain, or gzip/bzip2 when the magic says so). Anything but a
 * {@link DecodeException} is a finding. Fuzz with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl rampart-wire test -Dtest=MrtFuzzTest}.
 */
class MrtFuzzTest {

    @FuzzTest(maxDuration = "45s")
    void mrtFile(byte[] file) throws IOException {
        try (MrtReader reader = new MrtReader(MrtReader.decompressing(
                new java.io.BufferedInputStream(new ByteArrayInputStream(file))), 1 << 16)) {
            while (reader.hasNext()) {
                decodeContent(reader.next());
            }
        } catch (DecodeException expected) {
            // hostile input is allowed to be rejected, only this way
        }
    }

    private static void decodeContent(MrtRecord record) {
        try {
            switch (record) {
                case MrtRecord.Bgp4mpMessage m -> MrtRouteDecoder.message(m);
                case MrtRecord.LegacyBgpMessage m -> MrtRouteDecoder.message(m);
                case MrtRecord.TableDump t -> t.entries().forEach(MrtRouteDecoder::attributes);
                case MrtRecord.RibAfi r -> r.entries().forEach(e -> MrtRouteDecoder.attributes(new AfiSafi(r.afi(), r.safi()), e));
                case MrtRecord.RibGeneric r -> r.entries().forEach(e -> MrtRouteDecoder.attributes(new AfiSafi(r.afi(), r.safi()), e));
                default -> {
                }
            }
        } catch (DecodeException rejected) {
            // one bad record does not end the file
        }
    }
}
