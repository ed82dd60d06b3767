package net.rampart.detect.alert;

/**
 * The ARTEMIS hijack taxonomy (Sermpezis et al., "ARTEMIS: Neutralizing BGP Hijacking within a
 * Minute", 2018): which prefix was announced, which hop of the path is wrong, and whether a
 * routing policy is broken. Written as ARTEMIS writes it, e.g. {@code E|0|-}.
 *
 * @param prefix {@code E} exact prefix, {@code S} sub-prefix (more-specific), {@code Q} squatting
 * @param path   {@code 0} wrong origin, {@code 1} wrong first hop, {@code P} path rule broken,
 *               {@code -} the path looks legitimate
 * @param policy {@code L} the route also breaks valley-free routing by the declared relationships
 *               (the detector's route leak check), {@code -} none seen
 */
public record Taxonomy(char prefix, char path, char policy) {

    public Taxonomy {
        if ("ESQ".indexOf(prefix) < 0 || "01P-".indexOf(path) < 0 || "L-".indexOf(policy) < 0) {
            throw new IllegalArgumentException("not an ARTEMIS label: " + prefix + "|" + path + "|" + policy);
        }
    }

    /** The label for the exact prefix ({@code E}) or a sub-prefix ({@code S}), without a policy dimension. */
    public static Taxonomy of(boolean exact, char path) {
        return new Taxonomy(exact ? 'E' : 'S', path, '-');
    }

    @Override
    public String toString() {
        return prefix + "|" + path + "|" + policy;
    }
}
