package net.rampart.wire.bgp.conformance;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import net.rampart.wire.bgp.BgpMessage;
import net.rampart.wire.bgp.BgpMessageDecoder;
import net.rampart.wire.bgp.BgpMessageEncoder;
import net.rampart.wire.bgp.KeepaliveMessage;
import net.rampart.wire.bgp.NotificationMessage;
import net.rampart.wire.bgp.OpenMessage;
import net.rampart.wire.bgp.PeerCapabilities;
import net.rampart.wire.bgp.UpdateMessage;
import net.rampart.wire.bgp.flowspec.FlowSpecNlri;
import net.rampart.wire.bgp.nlri.Nlri;

/**
 * The smallest BGP speaker that gets a real daemon to accept routes: it connects, exchanges
 * OPEN and KEEPALIVE using Rampart's codecs, then sends whatever the test gives it. A reader
 * thread collects what the daemon sends. Test code only.
 */
final class BgpTestSpeaker implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<BgpMessage> received = new LinkedBlockingQueue<>();
    private final PeerCapabilities outbound;
    private final Thread reader;

    private BgpTestSpeaker(Socket socket, PeerCapabilities outbound, PeerCapabilities inbound, DataInputStream in)
            throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.outbound = outbound;
        this.reader = Thread.ofPlatform().daemon().name("bgp-test-reader").start(() -> readLoop(in, inbound));
    }

    /**
     * Connects to {@code port} on loopback, retrying until the daemon listens or the deadline
     * passes, and completes the OPEN exchange.
     */
    static BgpTestSpeaker connect(int port, OpenMessage ours, Duration timeout) throws IOException, InterruptedException {
        return connect("127.0.0.1", port, ours, timeout);
    }

    /** As {@link #connect(int, OpenMessage, Duration)}, to another loopback address. */
    static BgpTestSpeaker connect(String loopbackAddress, int port, OpenMessage ours, Duration timeout)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(loopbackAddress, port), 1000);
                socket.setSoTimeout((int) timeout.toMillis());
                return handshake(socket, ours);
            } catch (IOException e) {
                socket.close();
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static BgpTestSpeaker handshake(Socket socket, OpenMessage ours) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        socket.getOutputStream().write(BgpMessageEncoder.encode(ours, PeerCapabilities.LEGACY));
        BgpMessage first = read(in, PeerCapabilities.LEGACY);
        if (!(first instanceof OpenMessage theirs)) {
            throw new IOException("expected OPEN, got " + first);
        }
        socket.getOutputStream().write(BgpMessageEncoder.encode(KeepaliveMessage.INSTANCE, PeerCapabilities.LEGACY));
        BgpMessage second = read(in, PeerCapabilities.LEGACY);
        if (!(second instanceof KeepaliveMessage)) {
            throw new IOException("expected KEEPALIVE, got " + second);
        }
        return new BgpTestSpeaker(socket, PeerCapabilities.forMessagesFrom(ours, theirs),
                PeerCapabilities.forMessagesFrom(theirs, ours), in);
    }

    private static BgpMessage read(DataInputStream in, PeerCapabilities caps) throws IOException {
        byte[] header = new byte[BgpMessage.HEADER_LENGTH];
        in.readFully(header);
        int length = BgpMessageDecoder.frameLength(header, 0, header.length);
        byte[] whole = java.util.Arrays.copyOf(header, length);
        in.readFully(whole, header.length, length - header.length);
        return BgpMessageDecoder.decode(whole, caps);
    }

    private void readLoop(DataInputStream in, PeerCapabilities caps) {
        try {
            while (true) {
                BgpMessage m = read(in, caps);
                if (m instanceof KeepaliveMessage) {
                    send(KeepaliveMessage.INSTANCE);
                }
                received.add(m);
            }
        } catch (IOException e) {
            // The daemon or the test closed the session; the test sees it through what was received.
        }
    }

    PeerCapabilities outbound() {
        return outbound;
    }

    synchronized void send(BgpMessage message) throws IOException {
        out.write(BgpMessageEncoder.encode(message, outbound));
        out.flush();
    }

    /** The first FlowSpec rule the daemon announces within {@code timeout}, or null. */
    FlowSpecNlri awaitFlowSpec(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            BgpMessage m = received.poll(100, TimeUnit.MILLISECONDS);
            if (m instanceof UpdateMessage u && u.mpReach().isPresent()) {
                for (Nlri n : u.mpReach().get().nlri()) {
                    if (n instanceof FlowSpecNlri f) {
                        return f;
                    }
                }
            }
        }
        return null;
    }

    /** The next NOTIFICATION the daemon sent within {@code timeout}, or null. */
    NotificationMessage notification(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            BgpMessage m = received.poll(100, TimeUnit.MILLISECONDS);
            if (m instanceof NotificationMessage n) {
                return n;
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            send(new NotificationMessage(NotificationMessage.CEASE, 2));
        } catch (IOException e) {
            // already closed by the peer
        }
        socket.close();
        reader.join(5000);
    }
}
