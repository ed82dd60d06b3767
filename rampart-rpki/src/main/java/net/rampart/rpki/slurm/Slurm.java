package net.rampart.rpki.slurm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.ip.IpPrefix;

/**
 * Local exceptions to the RPKI data (RFC 8416, with the ASPA members of
 * draft-ietf-sidrops-aspa-slurm): filters remove payload, assertions add it. Filters are
 * applied first, so an assertion is never filtered away.
 */
public record Slurm(List<PrefixFilter> prefixFilters, List<BgpsecFilter> bgpsecFilters, List<AspaFilter> aspaFilters,
        List<PrefixAssertion> prefixAssertions, List<BgpsecAssertion> bgpsecAssertions,
        List<AspaAssertion> aspaAssertions) {

    public static final Slurm EMPTY = new Slurm(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    /** Removes VRPs within {@code prefix} (when given) whose AS is {@code asn} (when given). */
    public record PrefixFilter(IpPrefix prefix, Long asn, String comment) {
        boolean matches(IpPrefix p, long vrpAsn) {
            return (prefix == null || prefix.covers(p)) && (asn == null || asn == vrpAsn);
        }
    }

    /** Removes router keys of {@code asn} (when given) with this SKI (when given). */
    public record BgpsecFilter(Long asn, byte[] ski, String comment) {
        boolean matches(RouterKeyRecord k) {
            return (asn == null || asn == k.asn()) && (ski == null || Arrays.equals(ski, k.ski()));
        }
    }

    /** Removes the ASPA of this customer. */
    public record AspaFilter(long customer, String comment) {
    }

    public record PrefixAssertion(Vrp vrp, String comment) {
    }

    public record BgpsecAssertion(RouterKeyRecord key, String comment) {
    }

    /** Sets the customer's provider set, replacing whatever the RPKI said. */
    public record AspaAssertion(AspaRecord aspa, String comment) {
    }

    public Slurm {
        prefixFilters = List.copyOf(prefixFilters);
        bgpsecFilters = List.copyOf(bgpsecFilters);
        aspaFilters = List.copyOf(aspaFilters);
        prefixAssertions = List.copyOf(prefixAssertions);
        bgpsecAssertions = List.copyOf(bgpsecAssertions);
        aspaAssertions = List.copyOf(aspaAssertions);
    }

    /** Several files act as one: the union of their filters and of their assertions. */
    public static Slurm merge(List<Slurm> files) {
        List<PrefixFilter> pf = new ArrayList<>();
        List<BgpsecFilter> bf = new ArrayList<>();
        List<AspaFilter> af = new ArrayList<>();
        List<PrefixAssertion> pa = new ArrayList<>();
        List<BgpsecAssertion> ba = new ArrayList<>();
        List<AspaAssertion> aa = new ArrayList<>();
        for (Slurm s : files) {
            pf.addAll(s.prefixFilters);
            bf.addAll(s.bgpsecFilters);
            af.addAll(s.aspaFilters);
            pa.addAll(s.prefixAssertions);
            ba.addAll(s.bgpsecAssertions);
            aa.addAll(s.aspaAssertions);
        }
        return new Slurm(pf, bf, af, pa, ba, aa);
    }

    public boolean isEmpty() {
        return prefixFilters.isEmpty() && bgpsecFilters.isEmpty() && aspaFilters.isEmpty()
                && prefixAssertions.isEmpty() && bgpsecAssertions.isEmpty() && aspaAssertions.isEmpty();
    }

    public RpkiSnapshot apply(RpkiSnapshot in) {
        if (isEmpty()) {
            return in;
        }
        VrpSet vrps = in.vrps();
        VrpSet filtered = prefixFilters.isEmpty() ? vrps : vrps.retain(i -> {
            IpPrefix p = vrps.prefix(i);
            long asn = vrps.asn(i);
            for (PrefixFilter f : prefixFilters) {
                if (f.matches(p, asn)) {
                    return false;
                }
            }
            return true;
        });
        VrpSet.Builder b = new VrpSet.Builder();
        filtered.addTo(b);
        prefixAssertions.forEach(a -> b.add(a.vrp(), "slurm"));

        List<RouterKeyRecord> keys = new ArrayList<>(in.routerKeys().stream()
                .filter(k -> bgpsecFilters.stream().noneMatch(f -> f.matches(k))).toList());
        bgpsecAssertions.forEach(a -> keys.add(a.key()));

        Set<Long> dropped = new HashSet<>();
        aspaFilters.forEach(f -> dropped.add(f.customer()));
        aspaAssertions.forEach(a -> dropped.add(a.aspa().customer()));
        List<AspaRecord> aspas = new ArrayList<>(in.aspas().stream().filter(a -> !dropped.contains(a.customer()))
                .toList());
        aspaAssertions.forEach(a -> aspas.add(a.aspa()));
        return RpkiSnapshot.of(b.build(), aspas, keys);
    }
}
