package net.rampart.rpki.output;

import java.nio.file.Path;
import java.util.List;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.Vrp;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.testing.TestData;

/**
 * Routinator's golden output files in the shared test data ({@code rpki/routinator-XYZ.json}
 * and {@code .csv}) and the payload each describes. The digits of a set's name say which
 * payload types it holds: X route origins, Y router keys, Z ASPAs; each present type is one
 * item written twice, with no trust anchor.
 */
final class RoutinatorGoldenSets {

    private RoutinatorGoldenSets() {
    }

    /** Every set there is a golden file pair for: the tests' parameter source. */
    static List<String> all() {
        return List.of("000", "001", "010", "011", "100", "101", "110", "111");
    }

    /** The golden file, or a skipped test saying the shared test data is absent. */
    static Path file(String set, String extension) {
        return TestData.folder("rpki").resolve("routinator-" + set + "." + extension);
    }

    /**
     * The payload of a golden set. Routinator's holds each item twice; Rampart's payload is a
     * set, so the snapshot keeps one of each, and the tests compare with the golden entries
     * that are distinct.
     */
    static RpkiSnapshot snapshot(String set) {
        Vrp origin = Vrp.parse("12.34.56.0/24", 24, 1234);
        RouterKeyRecord key = new RouterKeyRecord(1234, new byte[20], new byte[64]);
        AspaRecord aspa = new AspaRecord(1234, new long[] {1, 2, 3, 4});
        return RpkiSnapshot.of(VrpSet.of(twiceIf(set.charAt(0), origin)), twiceIf(set.charAt(2), aspa),
                twiceIf(set.charAt(1), key));
    }

    private static <T> List<T> twiceIf(char digit, T item) {
        return digit == '1' ? List.of(item, item) : List.of();
    }
}
