package net.rampart.server.detect;

import java.util.List;
import net.rampart.detect.route.RouteObservation;

/** One RIS Live WebSocket message from the server, as far as detection cares about it. */
sealed interface RisLiveFrame {

    /** An UPDATE of one RIS peer: its announcements, then its withdrawals. */
    record Routes(List<RouteObservation> routes) implements RisLiveFrame {
    }

    /** A RIS peer's BGP session went down: every route it announced is gone. */
    record PeerDown(long timeMillis, String vantagePoint) implements RisLiveFrame {
    }

    /** The server's answer to our {@code ping}. */
    record Pong() implements RisLiveFrame {
    }

    /** The server refused something we sent (a bad subscription, typically). */
    record ServerError(String message) implements RisLiveFrame {
    }

    /**
     * A message that carries no route: a BGP OPEN, KEEPALIVE or NOTIFICATION of a RIS peer, a
     * subscription acknowledgement, a message type this client does not know.
     */
    record Other(String type) implements RisLiveFrame {
    }
}
