package net.rampart.kafka;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A run of records, of any topics, as one spool record: the format byte 1, then for each record
 * the topic's length (2) and name (UTF-8), the key's length (2) and the key, the record's
 * timestamp in epoch milliseconds (8), the value's length (4) and the value.
 *
 * <p>Spool files written before records carried their topic hold raw frames only, each from the
 * key's length on; their first byte is 0 (a raw key has 16 bytes), and they are read back as
 * frames of the raw topic.
 */
final class SpooledFrames {

    private static final byte FORMAT_WITH_TOPICS = 1;

    private SpooledFrames() {
    }

    static byte[] encode(List<ProducerRecord<byte[], byte[]>> records) {
        int size = 1;
        List<byte[]> topics = new ArrayList<>(records.size());
        String lastTopic = null;
        byte[] lastTopicBytes = null;
        for (ProducerRecord<byte[], byte[]> record : records) {
            if (!record.topic().equals(lastTopic)) {
                lastTopic = record.topic();
                lastTopicBytes = lastTopic.getBytes(StandardCharsets.UTF_8);
            }
            topics.add(lastTopicBytes);
            size += 2 + lastTopicBytes.length + 2 + record.key().length + 8 + 4 + record.value().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(FORMAT_WITH_TOPICS);
        for (int i = 0; i < records.size(); i++) {
            ProducerRecord<byte[], byte[]> record = records.get(i);
            byte[] topic = topics.get(i);
            out.putShort((short) topic.length).put(topic)
                    .putShort((short) record.key().length).put(record.key()).putLong(record.timestamp())
                    .putInt(record.value().length).put(record.value());
        }
        return out.array();
    }

    /**
     * @param rawTopic the topic of the records of a spool file written before records carried their topic
     * @throws IOException when the payload is not a run of records (the spool's CRC passed, so a bug)
     */
    static List<ProducerRecord<byte[], byte[]>> decode(byte[] payload, String rawTopic) throws IOException {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            boolean withTopics = in.hasRemaining() && in.get(0) == FORMAT_WITH_TOPICS;
            if (withTopics) {
                in.get();
            } else if (in.hasRemaining() && in.get(0) != 0) {
                throw new IOException("spooled records of unknown format " + in.get(0));
            }
            String lastTopic = rawTopic;
            while (in.hasRemaining()) {
                String topic = rawTopic;
                if (withTopics) {
                    byte[] name = bytes(in, Short.toUnsignedInt(in.getShort()));
                    // Runs of one topic share one string.
                    topic = new String(name, StandardCharsets.UTF_8);
                    topic = topic.equals(lastTopic) ? lastTopic : topic;
                    lastTopic = topic;
                }
                byte[] key = bytes(in, Short.toUnsignedInt(in.getShort()));
                long timestamp = in.getLong();
                byte[] value = bytes(in, in.getInt());
                records.add(new ProducerRecord<>(topic, null, timestamp, key, value));
            }
        } catch (BufferUnderflowException e) {
            throw new IOException("spooled records cut short at byte " + in.position());
        }
        return records;
    }

    private static byte[] bytes(ByteBuffer in, int length) throws IOException {
        if (length < 0 || length > in.remaining()) {
            throw new IOException("spooled field of " + length + " bytes with " + in.remaining() + " left");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }
}
