package net.rampart.rpki;

import net.rampart.rpki.SnapshotHistory.Version;

/**
 * One serial's payload with its lookup structures: the RFC 6811 index and the ASPA
 * verifier. Immutable; replaced as a whole when the serial moves, so a reader validates
 * against one consistent version.
 */
public record RpkiView(Version version, RoaIndex roas, AspaVerifier aspa) {

    public static RpkiView of(Version version) {
        return new RpkiView(version, new RoaIndex(version.snapshot().vrps()),
                new AspaVerifier(version.snapshot().aspas()));
    }
}
