package net.rampart.collector.rib;

import java.util.Objects;

/**
 * One feed of routes from a source: a BMP session (one TCP connection of a router), or the
 * single implicit feed of a source without connections (an MRT import). A route in the RIB is
 * held by every open session of its router that announced it, so the end of one session
 * withdraws only the routes no other session (newer or parallel) has announced too.
 *
 * <p>{@code id} names the session in route history and logs; the RIB tells a router's open
 * sessions apart by a tag it assigns in {@link Rib#openSession}: one bit of a 16-bit mask kept
 * beside each route.
 */
public final class Session {
    /** The tag of a source's implicit session; BMP sessions get 1 to {@link #MAX_TAG}. */
    static final int IMPLICIT_TAG = 0;
    /**
     * The highest tag, so at most 15 BMP sessions of one router are open at once. Real routers
     * have one or two; stale ones are ended within minutes by the listener's TCP keepalive.
     */
    static final int MAX_TAG = 15;

    private final RouterId router;
    private final long id;
    private final int tag;

    Session(RouterId router, long id, int tag) {
        this.router = Objects.requireNonNull(router, "router");
        this.id = id;
        this.tag = tag;
    }

    /** The implicit session of a source that has no connections (id 0). */
    public static Session implicit(RouterId router) {
        return new Session(router, 0, IMPLICIT_TAG);
    }

    public RouterId router() {
        return router;
    }

    /** The session's id in route history; 0 for an implicit session. */
    public long id() {
        return id;
    }

    int tag() {
        return tag;
    }

    /** The session's bit in a route's mask of holders. */
    short holderBit() {
        return (short) (1 << tag);
    }

    @Override
    public String toString() {
        return router + "#" + id;
    }
}
