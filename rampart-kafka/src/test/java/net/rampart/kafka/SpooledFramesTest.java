package net.rampart.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class SpooledFramesTest {

    private static ProducerRecord<byte[], byte[]> record(String topic, String key, long timestamp, String value) {
        return new ProducerRecord<>(topic, null, timestamp, key.getBytes(StandardCharsets.US_ASCII),
                value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void recordsOfSeveralTopicsComeBackWithTheirTopicKeyTimeAndValue() throws IOException {
        List<ProducerRecord<byte[], byte[]>> records = List.of(
                record("openbmp.bmp_raw", "0123456789abcdef", 1_700_000_000_001L, "frame one"),
                record("openbmp.parsed.peer", "d41d8cd98f00b204e9800998ecf8427e", 1_700_000_000_001L, "V: 1.7\n"),
                record("openbmp.parsed.peer", "d41d8cd98f00b204e9800998ecf8427f", 1_700_000_000_002L, ""),
                record("openbmp.bmp_raw", "0123456789abcdef", 1_700_000_000_003L, "frame two"));

        List<ProducerRecord<byte[], byte[]>> back = SpooledFrames.decode(SpooledFrames.encode(records), "other.bmp_raw");

        assertThat(back).hasSize(records.size());
        for (int i = 0; i < records.size(); i++) {
            assertThat(back.get(i).topic()).isEqualTo(records.get(i).topic());
            assertThat(back.get(i).key()).isEqualTo(records.get(i).key());
            assertThat(back.get(i).timestamp()).isEqualTo(records.get(i).timestamp());
            assertThat(back.get(i).value()).isEqualTo(records.get(i).value());
        }
    }

    /** The layout spool files had before records carried their topic: raw frames, from the key's length on. */
    @Test
    void aSpoolRecordOfTheFormerLayoutIsReadAsFramesOfTheRawTopic() throws IOException {
        byte[] key = new byte[16];
        Arrays.fill(key, (byte) 7);
        byte[] frame = "OBMP frame".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer old = ByteBuffer.allocate(2 * (2 + 16 + 8 + 4 + frame.length));
        for (int i = 0; i < 2; i++) {
            old.putShort((short) 16).put(key).putLong(1_000L + i).putInt(frame.length).put(frame);
        }

        List<ProducerRecord<byte[], byte[]>> back = SpooledFrames.decode(old.array(), "site-a.bmp_raw");

        assertThat(back).hasSize(2);
        assertThat(back).allSatisfy(r -> {
            assertThat(r.topic()).isEqualTo("site-a.bmp_raw");
            assertThat(r.key()).isEqualTo(key);
            assertThat(r.value()).isEqualTo(frame);
        });
        assertThat(back.get(1).timestamp()).isEqualTo(1_001L);
    }

    @Test
    void aRecordCutShortIsAnError() {
        byte[] whole = SpooledFrames.encode(List.of(record("t", "k", 1, "value")));
        assertThatThrownBy(() -> SpooledFrames.decode(Arrays.copyOf(whole, whole.length - 1), "raw"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> SpooledFrames.decode(new byte[] {9, 0, 0}, "raw"))
                .isInstanceOf(IOException.class).hasMessageContaining("unknown format");
    }
}
