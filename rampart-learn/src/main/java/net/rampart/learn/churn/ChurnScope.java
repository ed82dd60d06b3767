package net.rampart.learn.churn;

import java.util.Objects;

/**
 * What an update-rate series counts: every route event of one router, of one peer of a router,
 * or of the routes in one configured prefix group (across routers and peers).
 *
 * @param name the router's name, {@code router/peer} for a peer, or the group's name
 */
public record ChurnScope(Kind kind, String name) {
    public enum Kind { ROUTER, PEER, PREFIX_GROUP }

    public ChurnScope {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static ChurnScope router(String router) {
        return new ChurnScope(Kind.ROUTER, router);
    }

    public static ChurnScope peer(String router, String peer) {
        return new ChurnScope(Kind.PEER, router + "/" + peer);
    }

    public static ChurnScope prefixGroup(String group) {
        return new ChurnScope(Kind.PREFIX_GROUP, group);
    }

    /** {@code router:NAME}, {@code peer:ROUTER/PEER} or {@code group:NAME}, as a scope filter would name it. */
    @Override
    public String toString() {
        return switch (kind) {
            case ROUTER -> "router:" + name;
            case PEER -> "peer:" + name;
            case PREFIX_GROUP -> "group:" + name;
        };
    }
}
