package net.rampart.mitigation.rule;

/**
 * What routers do with traffic that matches a rule; each maps to one FlowSpec extended
 * community (RFC 8955 section 7).
 */
public sealed interface FlowAction {

    /** A short name for logs, the API and the database. */
    String kind();

    /** traffic-rate-bytes: police to this many bytes per second (sent as an IEEE float). */
    record TrafficRate(float bytesPerSecond) implements FlowAction {
        public TrafficRate {
            if (!(bytesPerSecond > 0) || Float.isInfinite(bytesPerSecond)) {
                throw new IllegalArgumentException("rate must be positive, got " + bytesPerSecond);
            }
        }

        public static TrafficRate bitsPerSecond(long bps) {
            return new TrafficRate(bps / 8.0f);
        }

        @Override
        public String kind() {
            return "police";
        }
    }

    /** traffic-rate 0: drop everything that matches. */
    record Discard() implements FlowAction {
        @Override
        public String kind() {
            return "discard";
        }
    }

    /** redirect to a VRF named by a route target such as {@code 65000:666}. */
    record Redirect(String routeTarget) implements FlowAction {
        public Redirect {
            if (routeTarget == null || !routeTarget.matches("\\d{1,10}:\\d{1,10}")) {
                throw new IllegalArgumentException("route target must be ASN:value, got " + routeTarget);
            }
        }

        @Override
        public String kind() {
            return "redirect";
        }
    }

    /** traffic-marking: rewrite the DSCP of matching packets. */
    record MarkDscp(int dscp) implements FlowAction {
        public MarkDscp {
            if (dscp < 0 || dscp > 63) {
                throw new IllegalArgumentException("DSCP must be 0-63, got " + dscp);
            }
        }

        @Override
        public String kind() {
            return "mark";
        }
    }
}
