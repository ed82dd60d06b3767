package net.rampart.kafka;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A run of frames as one spool record: for each, the key's length (2) and the key, the record's
 * timestamp in epoch milliseconds (8), the frame's length (4) and the frame. The topic is the
 * publisher's, not stored.
 */
final class SpooledFrames {

    private SpooledFrames() {
    }

    static byte[] encode(List<ProducerRecord<byte[], byte[]>> records) {
        int size = 0;
        for (ProducerRecord<byte[], byte[]> record : records) {
            size += 2 + record.key().length + 8 + 4 + record.value().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ProducerRecord<byte[], byte[]> record : records) {
            out.putShort((short) record.key().length).put(record.key()).putLong(record.timestamp())
                    .putInt(record.value().length).put(record.value());
        }
        return out.array();
    }

    /** @throws IOException when the payload is not a run of frames (the spool's CRC passed, so a bug) */
    static List<ProducerRecord<byte[], byte[]>> decode(byte[] payload, String topic) throws IOException {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            while (in.hasRemaining()) {
                byte[] key = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(key);
                long timestamp = in.getLong();
                int length = in.getInt();
                if (length < 0 || length > in.remaining()) {
                    throw new IOException("spooled frame of " + length + " bytes with " + in.remaining() + " left");
                }
                byte[] frame = new byte[length];
                in.get(frame);
                records.add(new ProducerRecord<>(topic, null, timestamp, key, frame));
            }
        } catch (BufferUnderflowException e) {
            throw new IOException("spooled frames cut short at byte " + in.position());
        }
        return records;
    }
}
