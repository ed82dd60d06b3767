package net.rampart.collector.rib;

import java.util.Objects;

/**
 * A source of routes: a BMP router (named by its session's source address) or a named
 * MRT import. The name is opaque to the RIB; it only has to be stable for the source.
 */
public record RouterId(String name) {
    public RouterId {
        Objects.requireNonNull(name, "name");
    }

    @Override
    public String toString() {
        return name;
    }
}
