package net.rampart.wire.bgp;

import java.util.List;
import java.util.Optional;

import net.rampart.wire.bgp.attr.PathAttribute;
import net.rampart.wire.bgp.nlri.UnicastNlri;

/**
 * UPDATE (RFC 4271 section 4.3). {@code withdrawn} and {@code announced} are the IPv4 unicast
 * fields of the message; other families travel in {@link PathAttribute.MpReach} and
 * {@link PathAttribute.MpUnreach}. A decoded UPDATE always comes back, even when malformed:
 * {@code errors} lists what RFC 7606 found and {@link #action()} is the most severe action
 * (for {@link ErrorAction#TREAT_AS_WITHDRAW} every announced route must be treated as
 * withdrawn). {@code skippedFamilies} counts MP_REACH/MP_UNREACH blocks of families Rampart
 * does not decode. On a 2-octet-AS session the decoder has already merged AS4_PATH and
 * AS4_AGGREGATOR into AS_PATH and AGGREGATOR (RFC 6793).
 */
public record UpdateMessage(List<UnicastNlri> withdrawn, List<PathAttribute> attributes, List<UnicastNlri> announced,
                            List<UpdateError> errors, int skippedFamilies) implements BgpMessage {

    public UpdateMessage {
        withdrawn = List.copyOf(withdrawn);
        attributes = List.copyOf(attributes);
        announced = List.copyOf(announced);
        errors = List.copyOf(errors);
        if (skippedFamilies < 0) {
            throw new IllegalArgumentException("negative count");
        }
    }

    /** A well-formed UPDATE to encode. */
    public UpdateMessage(List<UnicastNlri> withdrawn, List<PathAttribute> attributes, List<UnicastNlri> announced) {
        this(withdrawn, attributes, announced, List.of(), 0);
    }

    /** The IPv4 unicast End-of-RIB marker (RFC 4724): an empty UPDATE. */
    public static UpdateMessage endOfRib() {
        return new UpdateMessage(List.of(), List.of(), List.of());
    }

    @Override
    public int type() {
        return TYPE_UPDATE;
    }

    /** The most severe RFC 7606 action any error calls for. */
    public ErrorAction action() {
        ErrorAction a = ErrorAction.NONE;
        for (UpdateError e : errors) {
            a = a.worse(e.action());
        }
        return a;
    }

    public <A extends PathAttribute> Optional<A> attribute(Class<A> kind) {
        for (PathAttribute a : attributes) {
            if (kind.isInstance(a)) {
                return Optional.of(kind.cast(a));
            }
        }
        return Optional.empty();
    }

    public Optional<PathAttribute.MpReach> mpReach() {
        return attribute(PathAttribute.MpReach.class);
    }

    public Optional<PathAttribute.MpUnreach> mpUnreach() {
        return attribute(PathAttribute.MpUnreach.class);
    }

    /** An End-of-RIB marker: for IPv4 unicast an empty UPDATE, for other families an empty MP_UNREACH alone. */
    public boolean isEndOfRib() {
        if (!withdrawn.isEmpty() || !announced.isEmpty()) {
            return false;
        }
        if (attributes.isEmpty()) {
            return true;
        }
        return attributes.size() == 1 && attributes.get(0) instanceof PathAttribute.MpUnreach u && u.nlri().isEmpty();
    }
}
