package net.rampart.rpki.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.VrpSet;

/**
 * What one fetch of one source produced, after strict validation.
 *
 * @param format      the recognised format: routinator, rpki-client, stayrtr, csv or rtr
 * @param generatedAt when the relying party produced the data, or null when it does not say
 * @param rejected    entries dropped, by reason (asn, prefix, max_length, expired, malformed)
 */
public record SourceData(String format, Instant generatedAt, VrpSet vrps, List<AspaRecord> aspas,
        List<RouterKeyRecord> routerKeys, Map<String, Integer> rejected) {

    public int rejectedCount() {
        return rejected.values().stream().mapToInt(Integer::intValue).sum();
    }

    public boolean isEmpty() {
        return vrps.isEmpty() && aspas.isEmpty() && routerKeys.isEmpty();
    }
}
