package net.rampart.collector.bmp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP relay on loopback between a router's BMP client and the collector, which can do to a
 * connection what a link flap does: {@link #cutRouterSide()} closes the router's side, so the
 * router reconnects, while the collector's side stays open, as a session whose peer vanished
 * stays open until its TCP keepalive or the next write times it out. Every connection the
 * relay makes to the collector comes from 127.0.0.1, as a reconnecting router comes from the
 * same address.
 */
final class StaleConnectionRelay implements AutoCloseable {

    private record Pair(Socket routerSide, Socket collectorSide) {
    }

    private final ServerSocket server;
    private final InetSocketAddress collector;
    private final List<Pair> pairs = new ArrayList<>();
    private final List<Socket> stale = new ArrayList<>();
    private final Thread acceptor;

    StaleConnectionRelay(int collectorPort) throws IOException {
        server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        collector = new InetSocketAddress(InetAddress.getLoopbackAddress(), collectorPort);
        acceptor = Thread.ofPlatform().name("relay-accept").daemon().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket routerSide = server.accept();
                Socket collectorSide = new Socket(collector.getAddress(), collector.getPort());
                synchronized (this) {
                    pairs.add(new Pair(routerSide, collectorSide));
                }
                Thread.ofPlatform().name("relay-copy").daemon().start(() -> copy(routerSide, collectorSide));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /**
     * Copies what the router sends. When the router closes its connection the collector's side
     * is closed too; when the relay cut the router's side, the collector's side is left open.
     */
    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            to.close();
        } catch (IOException cut) {
            // The relay closed the router's side: the collector's side stays open on purpose.
        }
    }

    /** Connections relayed now. */
    synchronized int connections() {
        return pairs.size();
    }

    /**
     * Closes the router's side of every relayed connection and keeps each collector side open
     * (stale) until {@link #closeStale()}.
     */
    synchronized void cutRouterSide() throws IOException {
        for (Pair pair : pairs) {
            pair.routerSide().close();
            stale.add(pair.collectorSide());
        }
        pairs.clear();
    }

    /** Closes the collector's side of the connections cut earlier, as the old session's timeout would. */
    synchronized void closeStale() throws IOException {
        for (Socket socket : stale) {
            socket.close();
        }
        stale.clear();
    }

    @Override
    public synchronized void close() throws IOException {
        server.close();
        for (Pair pair : pairs) {
            pair.routerSide().close();
            pair.collectorSide().close();
        }
        closeStale();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
