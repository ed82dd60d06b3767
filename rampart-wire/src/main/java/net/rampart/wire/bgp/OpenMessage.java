package net.rampart.wire.bgp;

import java.util.List;
import java.util.Optional;

/**
 * OPEN (RFC 4271 section 4.2) with its capabilities (RFC 5492). {@code myAutonomousSystem} is
 * the 2-octet field (AS_TRANS when the real AS needs 4 octets); {@link #autonomousSystem()}
 * gives the real one. {@code bgpIdentifier} is the IPv4-formatted router id as a 32-bit int.
 */
public record OpenMessage(int version, int myAutonomousSystem, int holdTimeSeconds, int bgpIdentifier,
                          List<Capability> capabilities) implements BgpMessage {

    public static final int AS_TRANS = 23456;

    public OpenMessage {
        if (myAutonomousSystem < 0 || myAutonomousSystem > 0xFFFF || holdTimeSeconds < 0 || holdTimeSeconds > 0xFFFF
                || version < 0 || version > 255) {
            throw new IllegalArgumentException("OPEN field out of range");
        }
        capabilities = List.copyOf(capabilities);
    }

    /** An OPEN for version 4 that advertises the 4-octet AS capability with {@code asn}. */
    public static OpenMessage of(long asn, int holdTimeSeconds, int bgpIdentifier, List<Capability> capabilities) {
        int twoOctet = asn <= 0xFFFF ? (int) asn : AS_TRANS;
        return new OpenMessage(4, twoOctet, holdTimeSeconds, bgpIdentifier, capabilities);
    }

    @Override
    public int type() {
        return TYPE_OPEN;
    }

    /** The speaker's AS: from the 4-octet AS capability if present, otherwise the 2-octet field. */
    public long autonomousSystem() {
        return capability(Capability.FourOctetAs.class).map(Capability.FourOctetAs::asn).orElse((long) myAutonomousSystem);
    }

    public <C extends Capability> Optional<C> capability(Class<C> kind) {
        for (Capability c : capabilities) {
            if (kind.isInstance(c)) {
                return Optional.of(kind.cast(c));
            }
        }
        return Optional.empty();
    }

    public boolean has(Class<? extends Capability> kind) {
        return capability(kind).isPresent();
    }

    /** The ADD-PATH direction this speaker advertised for a family. */
    public Capability.AddPathMode addPathMode(AfiSafi afiSafi) {
        return capability(Capability.AddPath.class).map(a -> a.modeFor(afiSafi)).orElse(Capability.AddPathMode.NONE);
    }
}
