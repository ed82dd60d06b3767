package net.rampart.server;

import net.rampart.server.config.ConfigException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Fails fast, before the database is started, when a configured port cannot be bound; the real
 * listeners still report a bind failure of their own should the port be taken in between.
 */
final class PortCheck {

    private PortCheck() {
    }

    static void requireFree(InetAddress address, Map<String, Integer> portsBySetting) throws ConfigException {
        for (var entry : portsBySetting.entrySet()) {
            try (var socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, entry.getValue()));
            } catch (IOException e) {
                throw new ConfigException(entry.getKey(), "cannot listen on " + address.getHostAddress() + ":"
                        + entry.getValue() + " (" + e.getMessage() + "; is another process using it?)");
            }
        }
    }
}
