package net.rampart.mitigation.event;

import java.util.Locale;
import java.util.Optional;

/** The kind of attack a detector reports; the wire name is the lower-case constant name. */
public enum AttackVector {
    UDP_FLOOD(17),
    SYN_FLOOD(6),
    ACK_FLOOD(6),
    ICMP_FLOOD(1),
    UNKNOWN(-1);

    private final int ipProtocol;

    AttackVector(int ipProtocol) {
        this.ipProtocol = ipProtocol;
    }

    /** The IP protocol the vector implies, if it implies one. */
    public Optional<Integer> impliedProtocol() {
        return ipProtocol < 0 ? Optional.empty() : Optional.of(ipProtocol);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AttackVector> fromWireName(String name) {
        for (AttackVector v : values()) {
            if (v.wireName().equals(name)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
