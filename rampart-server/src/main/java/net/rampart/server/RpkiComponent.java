package net.rampart.server;

import java.time.Duration;

import net.rampart.rpki.RpkiService;

/** The validate area as a service component: source polling, serial history and the RTR listener. */
final class RpkiComponent implements Component {

    private final RpkiService service;
    private final boolean rtrEnabled;
    private volatile boolean running;

    RpkiComponent(RpkiService service, boolean rtrEnabled) {
        this.service = service;
        this.rtrEnabled = rtrEnabled;
    }

    @Override
    public String name() {
        return "rpki";
    }

    @Override
    public void start() throws Exception {
        service.start();
        running = true;
    }

    @Override
    public void stop(Duration drain) {
        running = false;
        service.close();
    }

    /** Running, with the RTR listener bound when it is enabled. */
    @Override
    public boolean isReady() {
        return running && (!rtrEnabled || service.rtrAddress() != null);
    }
}
