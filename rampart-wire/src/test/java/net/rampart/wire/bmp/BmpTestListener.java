package net.rampart.wire.bmp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal BMP collector for integration tests: accepts routers on a free loopback port and
 * decodes what they send with {@link BmpFrameDecoder} and {@link BmpSession}, one session per
 * connection. Decoded messages and any decode failure are kept for the test to inspect.
 */
final class BmpTestListener implements AutoCloseable {

    private final ServerSocket server;
    private final List<BmpMessage> messages = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    BmpTestListener() throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofVirtual().name("bmp-test-accept").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    List<BmpMessage> messages() {
        return List.copyOf(messages);
    }

    List<Throwable> failures() {
        return List.copyOf(failures);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.add(socket);
                Thread.ofVirtual().name("bmp-test-read").start(() -> read(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void read(Socket socket) {
        BmpFrameDecoder framer = new BmpFrameDecoder();
        BmpSession session = new BmpSession();
        byte[] buffer = new byte[65536];
        try (socket; InputStream in = socket.getInputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                framer.append(buffer, 0, n);
                for (byte[] m = framer.next(); m != null; m = framer.next()) {
                    messages.add(session.decode(m));
                }
            }
        } catch (IOException closed) {
            // the router went away or the test is over
        } catch (RuntimeException e) {
            failures.add(e);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        for (Socket s : connections) {
            s.close();
        }
        acceptor.join();
    }
}
