package net.rampart.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

/**
 * A router a test plays over BMP (a real capture played back, or messages the test makes): a TCP
 * connection to the service's BMP port from the router's own loopback address. The socket is
 * handed back open, since closing it ends the router's session and withdraws its routes.
 */
final class ReplayedRouter {

    private ReplayedRouter() {
    }

    static Socket connect(byte[] payload, String from, int bmpPort) throws IOException {
        Socket socket = connect(from, bmpPort);
        OutputStream out = socket.getOutputStream();
        out.write(payload);
        out.flush();
        return socket;
    }

    static Socket connect(String from, int bmpPort) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), bmpPort), 5000);
        return socket;
    }

    /** Writes {@code messages} in one go, as a router sends what it has queued. */
    static void send(OutputStream out, List<byte[]> messages) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            bytes.write(message);
        }
        out.write(bytes.toByteArray());
        out.flush();
    }
}
