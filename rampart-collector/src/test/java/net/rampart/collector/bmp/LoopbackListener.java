package net.rampart.collector.bmp;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import net.rampart.collector.inventory.RouterInventory;
import net.rampart.collector.rib.Rib;

/** The BMP listener as the service wires it, on a free loopback port, for the collector's ITs. */
final class LoopbackListener {

    private LoopbackListener() {
    }

    /** Started, taking routers from 127.0.0.0/8 into {@code rib} and {@code inventory}. */
    static BmpListener start(Rib rib, RouterInventory inventory, CollectorStatistics statistics, Duration establishWithin)
            throws IOException {
        BmpListener listener = new BmpListener(SourceAllowlist.parse("127.0.0.0/8"), source -> new MonitoredRouter(
                source.getAddress(), rib, inventory, statistics.register(source.getAddress().getHostAddress()),
                Clock.systemUTC()), establishWithin);
        listener.start(InetAddress.getLoopbackAddress(), 0);
        return listener;
    }
}
