package net.rampart.wire.mrt;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import net.rampart.wire.DecodeException;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Reads MRT records one at a time from a stream: only the current record is ever in memory,
 * so a multi-gigabyte RIB dump streams in constant space.
 *
 * <p>Anything wrong with the input, a truncated record, a corrupt gzip or bzip2 stream or
 * an I/O error, ends the iteration with a {@link DecodeException} that gives the byte offset
 * (in the decompressed stream) of the record it was reading.
 */
public final class MrtReader implements Iterator<MrtRecord>, Closeable {

    /** Common header: timestamp (4) + type (2) + subtype (2) + length (4). */
    public static final int HEADER_LENGTH = 12;
    /**
     * Largest record body accepted. A RIB record of a popular prefix seen by a thousand peers
     * is a few hundred kilobytes; anything near this limit is corrupt input.
     */
    public static final int DEFAULT_MAX_RECORD_LENGTH = 16 << 20;
    /** Extended-timestamp types besides BGP4MP_ET; not decoded, but their header still carries microseconds. */
    private static final int ISIS_ET = 33;
    private static final int OSPFV3_ET = 49;

    private final InputStream in;
    private final int maxRecordLength;
    private final byte[] header = new byte[HEADER_LENGTH];
    private long offset;
    private MrtRecord next;
    private boolean finished;

    public MrtReader(InputStream in) {
        this(in, DEFAULT_MAX_RECORD_LENGTH);
    }

    public MrtReader(InputStream in, int maxRecordLength) {
        this.in = in;
        this.maxRecordLength = maxRecordLength;
    }

    /**
     * Opens an MRT file, plain, gzip or bzip2 compressed (recognised by content, not by name).
     * The caller closes the reader.
     */
    public static MrtReader open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new MrtReader(decompressing(raw));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Wraps a stream in the decompressor its first bytes call for; {@code in} must support mark.
     *
     * @throws DecodeException when the gzip or bzip2 header is corrupt (the decompressors read
     *                         it at once)
     * @throws IOException     when {@code in} cannot be read
     */
    public static InputStream decompressing(InputStream in) throws IOException {
        in.mark(3);
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        try {
            if (b0 == 0x1f && b1 == 0x8b) {
                // Concatenated members are common in dumps appended to by collectors.
                return new BufferedInputStream(new CorruptionAsIoException(new GzipCompressorInputStream(in, true)),
                        1 << 16);
            }
            if (b0 == 'B' && b1 == 'Z' && b2 == 'h') {
                return new BufferedInputStream(new CorruptionAsIoException(new BZip2CompressorInputStream(in, true)),
                        1 << 16);
            }
        } catch (IOException | RuntimeException e) {
            throw new DecodeException("corrupt " + (b0 == 0x1f ? "gzip" : "bzip2") + " stream: " + problem(e), 0);
        }
        return in;
    }

    /**
     * The decompressors report some corrupt input with unchecked exceptions (an array index
     * out of bounds in bzip2's Huffman tables, found by fuzzing): here that is bad input, so it
     * becomes the IOException the reader turns into a {@link DecodeException}.
     */
    private static final class CorruptionAsIoException extends FilterInputStream {

        CorruptionAsIoException(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (RuntimeException e) {
                throw corrupt(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (RuntimeException e) {
                throw corrupt(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (RuntimeException e) {
                throw corrupt(e);
            }
        }

        private static IOException corrupt(RuntimeException e) {
            return new IOException("corrupt compressed stream (" + problem(e) + ")", e);
        }
    }

    /**
     * What a decompressor said was wrong, without its Java class name: the text reaches API
     * answers and people, and an unchecked exception may carry no message at all.
     */
    static String problem(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? "the data does not decompress" : message;
    }

    /** Offset in the (decompressed) stream of the next record's header. */
    public long offset() {
        return offset;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            next = read();
            finished = next == null;
        }
        return next != null;
    }

    @Override
    public MrtRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        MrtRecord record = next;
        next = null;
        return record;
    }

    private MrtRecord read() {
        long recordOffset = offset;
        try {
            int got = in.readNBytes(header, 0, HEADER_LENGTH);
            if (got == 0) {
                return null;
            }
            if (got < HEADER_LENGTH) {
                throw failure(recordOffset, "truncated MRT header: " + got + " of " + HEADER_LENGTH + " bytes");
            }
            long timestamp = uint32(header, 0);
            int type = uint16(header, 4);
            int subtype = uint16(header, 6);
            long length = uint32(header, 8);
            if (length > maxRecordLength) {
                throw failure(recordOffset, "MRT record length " + length + " exceeds " + maxRecordLength);
            }
            // readNBytes grows its buffer with the bytes actually read, so a lying length on a
            // short stream costs no more memory than the stream holds.
            byte[] body = in.readNBytes((int) length);
            if (body.length < length) {
                throw failure(recordOffset, "truncated MRT record: " + body.length + " of " + length + " body bytes");
            }
            if (type == MrtRecord.TABLE_DUMP && MrtRecordDecoder.tableDumpShortfall(subtype, body) > 0) {
                body = legacyTableDump(body, recordOffset);
            }
            offset += HEADER_LENGTH + body.length;
            long microseconds = 0;
            if (type == MrtRecord.BGP4MP_ET || type == ISIS_ET || type == OSPFV3_ET) {
                if (length < 4) {
                    throw failure(recordOffset, "extended-timestamp MRT record of " + length + " bytes");
                }
                microseconds = uint32(body, 0);
                body = Arrays.copyOfRange(body, 4, body.length);
            }
            MrtRecord.Header parsed = new MrtRecord.Header(timestamp, microseconds, type, subtype, length);
            try {
                return MrtRecordDecoder.decode(parsed, body);
            } catch (DecodeException e) {
                throw failure(recordOffset, e.getMessage());
            }
        } catch (IOException e) {
            throw failure(recordOffset, "MRT stream unreadable: " + problem(e));
        }
    }

    /**
     * RIPE RIS bview files of 1999-2000 hold many TABLE_DUMP entries per record and declare a
     * length four octets short of them; the missing tail is the start of what follows.
     */
    private byte[] legacyTableDump(byte[] body, long recordOffset) throws IOException {
        byte[] whole = Arrays.copyOf(body, body.length + 4);
        if (in.readNBytes(whole, body.length, 4) < 4) {
            throw failure(recordOffset, "truncated legacy TABLE_DUMP record");
        }
        return whole;
    }

    private DecodeException failure(long recordOffset, String message) {
        finished = true;
        return new DecodeException(message + " in the record at stream offset " + recordOffset);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static long uint32(byte[] b, int i) {
        return ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    private static int uint16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
}
