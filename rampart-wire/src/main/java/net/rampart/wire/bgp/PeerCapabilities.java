package net.rampart.wire.bgp;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The decoding state of one direction of one BGP session: whether AS numbers are 4 octets,
 * whether messages may exceed 4096 bytes, and for which families NLRI carry ADD-PATH path
 * identifiers. It comes from the two OPEN messages ({@link #forMessagesFrom}) or is set
 * explicitly (MRT subtypes say AS4 and ADD-PATH). It is never guessed from lengths.
 */
public final class PeerCapabilities {

    /** RFC 4271 defaults: 2-octet AS, no ADD-PATH, 4096-byte messages. */
    public static final PeerCapabilities LEGACY = new PeerCapabilities(false, false, Set.of());
    /** 4-octet AS, nothing else: how MRT TABLE_DUMP_V2 and BGP4MP_*_AS4 records are encoded. */
    public static final PeerCapabilities FOUR_OCTET_AS = new PeerCapabilities(true, false, Set.of());

    private final boolean fourOctetAs;
    private final boolean extendedMessage;
    private final Set<AfiSafi> addPathFamilies;
    /** {@link AfiSafi#key()} of each ADD-PATH family, sorted: a lookup per NLRI block without boxing or hashing. */
    private final int[] addPathKeys;

    private PeerCapabilities(boolean fourOctetAs, boolean extendedMessage, Set<AfiSafi> addPathFamilies) {
        this.fourOctetAs = fourOctetAs;
        this.extendedMessage = extendedMessage;
        this.addPathFamilies = Set.copyOf(addPathFamilies);
        this.addPathKeys = addPathFamilies.stream().mapToInt(AfiSafi::key).sorted().toArray();
    }

    public static PeerCapabilities of(boolean fourOctetAs, boolean extendedMessage, Set<AfiSafi> addPathFamilies) {
        return new PeerCapabilities(fourOctetAs, extendedMessage, addPathFamilies);
    }

    /**
     * The state for decoding messages that {@code sender} sends to {@code receiver}, each given by
     * the OPEN it sent: 4-octet AS and extended messages need both sides; a family carries path
     * identifiers when the sender advertised SEND and the receiver RECEIVE (RFC 7911 section 4).
     * For BMP Route Monitoring of Adj-RIB-In the sender is the peer (the received OPEN) and the
     * receiver the monitored router (the sent OPEN).
     */
    public static PeerCapabilities forMessagesFrom(OpenMessage sender, OpenMessage receiver) {
        boolean as4 = sender.has(Capability.FourOctetAs.class) && receiver.has(Capability.FourOctetAs.class);
        boolean ext = sender.has(Capability.ExtendedMessage.class) && receiver.has(Capability.ExtendedMessage.class);
        Set<AfiSafi> addPath = new LinkedHashSet<>();
        sender.capability(Capability.AddPath.class).ifPresent(a -> {
            for (Capability.AddPathFamily f : a.families()) {
                if (f.mode().canSend() && receiver.addPathMode(f.afiSafi()).canReceive()) {
                    addPath.add(f.afiSafi());
                }
            }
        });
        return new PeerCapabilities(as4, ext, addPath);
    }

    public boolean fourOctetAs() {
        return fourOctetAs;
    }

    public boolean extendedMessage() {
        return extendedMessage;
    }

    public int maxMessageLength() {
        return extendedMessage ? BgpMessage.MAX_EXTENDED_LENGTH : BgpMessage.MAX_LENGTH;
    }

    public Set<AfiSafi> addPathFamilies() {
        return addPathFamilies;
    }

    public boolean addPath(AfiSafi afiSafi) {
        return addPath(afiSafi.afi(), afiSafi.safi());
    }

    public boolean addPath(int afi, int safi) {
        return addPathKeys.length != 0 && Arrays.binarySearch(addPathKeys, (afi << 8) | safi) >= 0;
    }

    public PeerCapabilities withFourOctetAs(boolean value) {
        return new PeerCapabilities(value, extendedMessage, addPathFamilies);
    }

    public PeerCapabilities withExtendedMessage(boolean value) {
        return new PeerCapabilities(fourOctetAs, value, addPathFamilies);
    }

    public PeerCapabilities withAddPath(AfiSafi... families) {
        Set<AfiSafi> all = new LinkedHashSet<>(addPathFamilies);
        all.addAll(Arrays.asList(families));
        return new PeerCapabilities(fourOctetAs, extendedMessage, all);
    }

    /**
     * What either state allows: 4-octet AS numbers or extended messages if either has them,
     * ADD-PATH for the families of both. The state of a BMP peer announced by several Peer Ups,
     * each negotiating its own families (RFC 9069 Loc-RIB peers), is the union of all of them.
     */
    public PeerCapabilities union(PeerCapabilities other) {
        Set<AfiSafi> all = new LinkedHashSet<>(addPathFamilies);
        all.addAll(other.addPathFamilies);
        return new PeerCapabilities(fourOctetAs || other.fourOctetAs, extendedMessage || other.extendedMessage, all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerCapabilities p && p.fourOctetAs == fourOctetAs
                && p.extendedMessage == extendedMessage && p.addPathFamilies.equals(addPathFamilies);
    }

    @Override
    public int hashCode() {
        return addPathFamilies.hashCode() * 4 + (fourOctetAs ? 2 : 0) + (extendedMessage ? 1 : 0);
    }

    @Override
    public String toString() {
        return "PeerCapabilities[fourOctetAs=" + fourOctetAs + ", extendedMessage=" + extendedMessage
                + ", addPath=" + addPathFamilies + "]";
    }
}
