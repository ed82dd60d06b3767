package net.rampart.rpki;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AS_PATH verification with ASPA (draft-ietf-sidrops-aspa-verification): the up-ramp and
 * down-ramp procedure for routes received from customers, lateral peers and route servers
 * (upstream) and from providers (downstream).
 */
public final class AspaVerifier {

    public enum Outcome {
        VALID("valid"), INVALID("invalid"), UNKNOWN("unknown");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Result of checking one hop: is the second AS a provider of the first? */
    enum Hop {
        PROVIDER, NOT_PROVIDER, NO_ATTESTATION
    }

    private final Map<Long, AspaRecord> byCustomer;

    public AspaVerifier(List<AspaRecord> aspas) {
        this.byCustomer = new HashMap<>(aspas.size() * 2);
        for (AspaRecord a : aspas) {
            byCustomer.put(a.customer(), a);
        }
    }

    Hop hop(long customer, long provider) {
        AspaRecord a = byCustomer.get(customer);
        if (a == null) {
            return Hop.NO_ATTESTATION;
        }
        return a.hasProvider(provider) ? Hop.PROVIDER : Hop.NOT_PROVIDER;
    }

    /**
     * Verifies an AS_PATH.
     *
     * @param path       the AS_PATH as sent on the wire, neighbor first, origin last; prepends allowed
     * @param hasAsSet   whether the path contains an AS_SET (always invalid)
     * @param downstream true when the route came from a provider
     */
    public Outcome verify(long[] path, boolean hasAsSet, boolean downstream) {
        if (hasAsSet) {
            return Outcome.INVALID;
        }
        // AS(1) is the origin, AS(n) the neighbor; prepends collapse into one hop.
        long[] as = new long[path.length];
        int n = 0;
        for (int k = path.length - 1; k >= 0; k--) {
            if (n == 0 || as[n - 1] != path[k]) {
                as[n++] = path[k];
            }
        }
        if (n == 0) {
            return Outcome.INVALID;
        }
        // Up-ramp: AS(i+1) is a provider of AS(i), from the origin upward (0-based here).
        int maxUp = n;
        int minUp = n;
        for (int i = 0; i + 1 < n; i++) {
            Hop h = hop(as[i], as[i + 1]);
            if (h != Hop.PROVIDER && minUp == n) {
                minUp = i + 1;
            }
            if (h == Hop.NOT_PROVIDER) {
                maxUp = i + 1;
                break;
            }
        }
        if (!downstream) {
            if (maxUp < n) {
                return Outcome.INVALID;
            }
            return minUp < n ? Outcome.UNKNOWN : Outcome.VALID;
        }
        if (n <= 2) {
            return Outcome.VALID;
        }
        // Down-ramp: AS(j-1) is a provider of AS(j), from the neighbor downward.
        int maxDown = n;
        int minDown = n;
        for (int j = n - 1; j >= 1; j--) {
            Hop h = hop(as[j], as[j - 1]);
            if (h != Hop.PROVIDER && minDown == n) {
                minDown = n - j;
            }
            if (h == Hop.NOT_PROVIDER) {
                maxDown = n - j;
                break;
            }
        }
        if (maxUp + maxDown < n) {
            return Outcome.INVALID;
        }
        return minUp + minDown < n ? Outcome.UNKNOWN : Outcome.VALID;
    }
}
