package net.rampart.rpki.output;

/** The trust anchor column of Routinator's formats. */
final class TrustAnchorName {

    /** What Routinator writes for payload whose trust anchor it does not know. */
    static final String UNKNOWN = "N/A";

    private TrustAnchorName() {
    }

    /** @param name as a {@link net.rampart.rpki.VrpSet} holds it: empty when the source named none */
    static String of(String name) {
        return name.isEmpty() ? UNKNOWN : name;
    }
}
