package net.rampart.server.detect;

import java.util.function.Supplier;
import net.rampart.detect.route.OriginValidity;
import net.rampart.detect.route.RpkiValidator;
import net.rampart.rpki.RoaIndex;
import net.rampart.rpki.RpkiView;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.ip.IpPrefix;

/**
 * The detector's {@link RpkiValidator} over the VRPs Rampart serves: each call reads the view in
 * force then, so a route is judged against the VRPs of the moment the detector takes it. With no
 * VRPs at all (no RPKI source configured, or none loaded yet) nothing is validated: every route
 * would otherwise be "not found", which says nothing about the route.
 */
final class VrpValidity implements RpkiValidator {

    private final Supplier<RpkiView> views;

    VrpValidity(Supplier<RpkiView> views) {
        this.views = views;
    }

    @Override
    public OriginValidity validity(IpPrefix prefix, long origin) {
        RpkiView view = views.get();
        if (view == null || view.roas().vrps().isEmpty()) {
            return OriginValidity.UNKNOWN;
        }
        RoaIndex roas = view.roas();
        return switch (roas.state(prefix, origin)) {
            case VALID -> OriginValidity.VALID;
            case NOT_FOUND -> OriginValidity.NOT_FOUND;
            case INVALID -> roas.coveredFor(prefix, origin) ? OriginValidity.INVALID_LENGTH
                    : OriginValidity.INVALID_ORIGIN;
        };
    }

    @Override
    public long[] authorisedOrigins(IpPrefix prefix) {
        RpkiView view = views.get();
        if (view == null || view.roas().vrps().isEmpty()) {
            return null;
        }
        VrpSet vrps = view.roas().vrps();
        return view.roas().indicesRelatedTo(prefix, true, true, false).stream()
                .filter(i -> vrps.maxLength(i) >= prefix.length())
                .mapToLong(vrps::asn).distinct().sorted().toArray();
    }

    @Override
    public long coverageEnd(IpPrefix prefix, long origin) {
        RpkiView view = views.get();
        if (view == null) {
            return 0;
        }
        VrpSet vrps = view.roas().vrps();
        long end = 0;
        for (int i : view.roas().indicesRelatedTo(prefix, true, true, false)) {
            if (vrps.asn(i) != origin || vrps.maxLength(i) < prefix.length()) {
                continue;
            }
            long expires = vrps.expires(i);
            if (expires == 0) {
                return 0; // this one's end is unknown, so the origin's coverage end is too
            }
            end = Math.max(end, expires);
        }
        return end;
    }
}
