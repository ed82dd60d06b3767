package net.rampart.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A router of a real capture, played back: a TCP connection to the service's BMP port from the
 * router's own loopback address, carrying the capture's bytes. The socket is handed back open,
 * since closing it ends the router's session and withdraws its routes.
 */
final class ReplayedRouter {

    private ReplayedRouter() {
    }

    static Socket connect(byte[] payload, String from, int bmpPort) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), bmpPort), 5000);
        OutputStream out = socket.getOutputStream();
        out.write(payload);
        out.flush();
        return socket;
    }
}
