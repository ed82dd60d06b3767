package net.rampart.wire.bgp;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** A BGP capability advertised in OPEN (RFC 5492); capabilities Rampart does not know are kept raw. */
public sealed interface Capability {

    int CODE_MULTIPROTOCOL = 1;
    int CODE_ROUTE_REFRESH = 2;
    int CODE_EXTENDED_MESSAGE = 6;
    int CODE_GRACEFUL_RESTART = 64;
    int CODE_FOUR_OCTET_AS = 65;
    int CODE_ADD_PATH = 69;

    int code();

    /** RFC 4760: the speaker can exchange NLRI of this family. */
    record Multiprotocol(AfiSafi afiSafi) implements Capability {
        public Multiprotocol {
            Objects.requireNonNull(afiSafi);
        }

        public int code() {
            return CODE_MULTIPROTOCOL;
        }
    }

    /** RFC 2918. */
    record RouteRefresh() implements Capability {
        public int code() {
            return CODE_ROUTE_REFRESH;
        }
    }

    /** RFC 8654: messages up to 65535 bytes. */
    record ExtendedMessage() implements Capability {
        public int code() {
            return CODE_EXTENDED_MESSAGE;
        }
    }

    /** RFC 6793: the speaker's real AS number. */
    record FourOctetAs(long asn) implements Capability {
        public FourOctetAs {
            if (asn < 0 || asn > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("ASN out of range: " + asn);
            }
        }

        public int code() {
            return CODE_FOUR_OCTET_AS;
        }
    }

    /** RFC 4724. {@code restartTimeSeconds} is 12 bits. */
    record GracefulRestart(boolean restarting, boolean notification, int restartTimeSeconds,
                           List<GracefulRestartFamily> families) implements Capability {
        public GracefulRestart {
            if (restartTimeSeconds < 0 || restartTimeSeconds > 0xFFF) {
                throw new IllegalArgumentException("restart time is 12 bits: " + restartTimeSeconds);
            }
            families = List.copyOf(families);
        }

        public int code() {
            return CODE_GRACEFUL_RESTART;
        }
    }

    record GracefulRestartFamily(AfiSafi afiSafi, boolean forwardingStatePreserved) {
        public GracefulRestartFamily {
            Objects.requireNonNull(afiSafi);
        }
    }

    /** RFC 7911. */
    record AddPath(List<AddPathFamily> families) implements Capability {
        public AddPath {
            families = List.copyOf(families);
        }

        public int code() {
            return CODE_ADD_PATH;
        }

        /** The direction advertised for a family, or {@link AddPathMode#NONE}. */
        public AddPathMode modeFor(AfiSafi afiSafi) {
            for (AddPathFamily f : families) {
                if (f.afiSafi().equals(afiSafi)) {
                    return f.mode();
                }
            }
            return AddPathMode.NONE;
        }
    }

    record AddPathFamily(AfiSafi afiSafi, AddPathMode mode) {
        public AddPathFamily {
            Objects.requireNonNull(afiSafi);
            Objects.requireNonNull(mode);
        }
    }

    /** The Send/Receive field of the ADD-PATH capability. */
    enum AddPathMode {
        NONE(0), RECEIVE(1), SEND(2), BOTH(3);

        private final int wire;

        AddPathMode(int wire) {
            this.wire = wire;
        }

        public int wire() {
            return wire;
        }

        public boolean canSend() {
            return (wire & 2) != 0;
        }

        public boolean canReceive() {
            return (wire & 1) != 0;
        }

        public static AddPathMode of(int wire) {
            return values()[wire & 3];
        }
    }

    /** Any capability not modelled above, or a known one whose value is malformed, kept as on the wire. */
    record Unknown(int code, byte[] value) implements Capability {
        public Unknown {
            if (code < 0 || code > 255 || value.length > 255) {
                throw new IllegalArgumentException("capability code or length out of range");
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.code == code && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * code + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Unknown[code=" + code + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }
}
