package net.rampart.wire.mrt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.testing.TestData;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real RIPE RIS RIB dump of January 2000 (TABLE_DUMP, RIPE's multi-entry form) decodes whole. */
class MrtRibDumpTest {

    private static final String BVIEW = "ripe_rrc00_2000.01_bview.20000111.0032.gz";

    @TempDir
    Path work;

    @Test
    void everyEntryOfTheRibDumpDecodes() throws Exception {
        Path dump = TestData.folder("mrt").resolve(BVIEW);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(dump), "skipped: " + dump + " is absent");
        long records = 0;
        long entries = 0;
        long decompressedSize;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dump))) {
            decompressedSize = in.transferTo(OutputStream.nullOutputStream());
        }
        try (MrtReader reader = MrtReader.open(dump)) {
            while (reader.hasNext()) {
                MrtRecord.TableDump record = (MrtRecord.TableDump) reader.next();
                records++;
                for (MrtRecord.TableDumpEntry entry : record.entries()) {
                    entries++;
                    UpdateMessage attributes = MrtRouteDecoder.attributes(entry);
                    assertThat(attributes.errors()).as("errors in %s/%d from %s", entry.prefix(), entry.prefixLength(),
                            entry.peerAddress()).isEmpty();
                    assertThat(attributes.attribute(PathAttribute.AsPath.class)).isPresent();
                }
            }
            assertThat(reader.offset()).as("bytes consumed").isEqualTo(decompressedSize);
        }
        assertThat(records).isPositive();
        assertThat(entries).isGreaterThan(records);
    }

    @Test
    void plainGzipAndBzip2FilesYieldTheSameRecords() throws Exception {
        Path dump = TestData.folder("mrt").resolve("ripe_rrc03_2010.02_updates.20100227.1600.first-796-records.gz");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(dump), "skipped: " + dump + " is absent");
        byte[] plain;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dump))) {
            plain = in.readAllBytes();
        }
        Path plainFile = Files.write(work.resolve("updates"), plain);
        Path bzip2File = work.resolve("updates.bz2");
        try (OutputStream out = new BZip2CompressorOutputStream(new BufferedOutputStream(Files.newOutputStream(bzip2File)))) {
            out.write(plain);
        }
        List<String> fromGzip = headers(dump);
        assertThat(fromGzip).isNotEmpty();
        assertThat(headers(plainFile)).isEqualTo(fromGzip);
        assertThat(headers(bzip2File)).isEqualTo(fromGzip);
    }

    @Test
    void concatenatedGzipMembersAreOneStream() throws Exception {
        Path dump = TestData.folder("mrt").resolve("ripe_rrc03_2010.02_updates.20100227.1600.first-796-records.gz");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(dump), "skipped: " + dump + " is absent");
        byte[] member = Files.readAllBytes(dump);
        ByteArrayOutputStream twice = new ByteArrayOutputStream();
        twice.write(member);
        twice.write(member);
        int once = headers(dump).size();
        int count = 0;
        try (MrtReader reader = new MrtReader(MrtReader.decompressing(
                new java.io.BufferedInputStream(new ByteArrayInputStream(twice.toByteArray()))))) {
            while (reader.hasNext()) {
                reader.next();
                count++;
            }
        }
        assertThat(count).isEqualTo(2 * once);
    }

    private static List<String> headers(Path file) throws Exception {
        List<String> headers = new ArrayList<>();
        try (MrtReader reader = MrtReader.open(file)) {
            reader.forEachRemaining(r -> headers.add(r.header() + "/" + r.getClass().getSimpleName()));
        }
        return headers;
    }
}
