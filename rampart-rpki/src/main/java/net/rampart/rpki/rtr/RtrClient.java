package net.rampart.rpki.rtr;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import net.rampart.wire.DecodeException;
import net.rampart.wire.rtr.CacheReset;
import net.rampart.wire.rtr.CacheResponse;
import net.rampart.wire.rtr.EndOfData;
import net.rampart.wire.rtr.ErrorReport;
import net.rampart.wire.rtr.ResetQuery;
import net.rampart.wire.rtr.RtrFramer;
import net.rampart.wire.rtr.RtrPdu;
import net.rampart.wire.rtr.RtrPduDecoder;
import net.rampart.wire.rtr.RtrPduEncoder;
import net.rampart.wire.rtr.SerialNotify;
import net.rampart.wire.rtr.SerialQuery;

/**
 * A plain blocking RTR client: Rampart uses it to take VRPs from an upstream cache
 * ({@code rtr://} sources), and tests and load tools use it as a router.
 */
public final class RtrClient implements AutoCloseable {

    /** One complete answer: the payload PDUs between Cache Response and End of Data. */
    public record Sync(int sessionId, EndOfData endOfData, List<RtrPdu> payload) {
    }

    /** The cache answered with something other than data: Cache Reset or an Error Report. */
    public static final class RefusedException extends IOException {
        private final RtrPdu answer;

        RefusedException(RtrPdu answer) {
            super("RTR cache answered " + answer);
            this.answer = answer;
        }

        public RtrPdu answer() {
            return answer;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final RtrFramer framer = new RtrFramer(RtrFramer.DEFAULT_MAX_PDU_LENGTH);
    private final int version;

    private RtrClient(Socket socket, int version) throws IOException {
        this.socket = socket;
        this.version = version;
        this.in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16));
        this.out = socket.getOutputStream();
    }

    public static RtrClient connect(InetSocketAddress cache, int version, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(cache, (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.setTcpNoDelay(true);
            return new RtrClient(s, version);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    public int version() {
        return version;
    }

    public void send(RtrPdu pdu) throws IOException {
        out.write(RtrPduEncoder.encode(pdu));
        out.flush();
    }

    /** Sends raw bytes, for tests that play a misbehaving router. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next PDU; blocks up to the timeout. */
    public RtrPdu read() throws IOException {
        byte[] header = new byte[RtrPdu.HEADER_LENGTH];
        in.readFully(header);
        int length;
        try {
            length = framer.completePduLength(ByteBuffer.wrap(header));
        } catch (DecodeException e) {
            throw new IOException("RTR cache sent a bad header: " + e.getMessage(), e);
        }
        byte[] pdu = header;
        if (length < 0) {
            long declared = Integer.toUnsignedLong(ByteBuffer.wrap(header).getInt(4));
            pdu = java.util.Arrays.copyOf(header, (int) declared);
            in.readFully(pdu, RtrPdu.HEADER_LENGTH, pdu.length - RtrPdu.HEADER_LENGTH);
        }
        try {
            return RtrPduDecoder.decode(ByteBuffer.wrap(pdu));
        } catch (DecodeException e) {
            throw new IOException("RTR cache sent a bad PDU: " + e.getMessage(), e);
        }
    }

    /** Reset Query and the whole answer. */
    public Sync reset() throws IOException {
        send(new ResetQuery(version));
        return collect();
    }

    /** Serial Query and the incremental answer; a Cache Reset comes back as {@link RefusedException}. */
    public Sync since(int sessionId, int serial) throws IOException {
        send(new SerialQuery(version, sessionId, serial));
        return collect();
    }

    private Sync collect() throws IOException {
        RtrPdu first = read();
        while (first instanceof SerialNotify) {
            first = read();
        }
        if (!(first instanceof CacheResponse response)) {
            throw new RefusedException(first);
        }
        List<RtrPdu> payload = new ArrayList<>();
        while (true) {
            RtrPdu pdu = read();
            switch (pdu) {
                case EndOfData eod -> {
                    return new Sync(response.sessionId(), eod, payload);
                }
                case ErrorReport e -> throw new RefusedException(e);
                case CacheReset r -> throw new RefusedException(r);
                case SerialNotify n -> {
                    // A notify cannot arrive inside an answer; tolerate it as a router would.
                }
                default -> payload.add(pdu);
            }
        }
    }

    /** Reads PDUs until End of Data, counting bytes only: the load tool's bare client. */
    public long drainUntilEndOfData() throws IOException {
        long pdus = 0;
        byte[] header = new byte[RtrPdu.HEADER_LENGTH];
        byte[] body = new byte[RtrFramer.DEFAULT_MAX_PDU_LENGTH];
        while (true) {
            in.readFully(header);
            int length = ByteBuffer.wrap(header).getInt(4);
            if (length < RtrPdu.HEADER_LENGTH || length > body.length) {
                throw new IOException("bad PDU length " + Integer.toUnsignedString(length));
            }
            in.readFully(body, 0, length - RtrPdu.HEADER_LENGTH);
            pdus++;
            if (header[1] == 7) {
                return pdus;
            }
            if (header[1] == 10 || header[1] == 8) {
                throw new IOException("cache refused: PDU type " + header[1]);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
