package net.rampart.rpki.source;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.VrpSet;
import net.rampart.wire.Asn;
import net.rampart.wire.ip.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Strict validation of the entries of one source: a bad entry is dropped and counted by
 * reason, and the first few of each fetch are logged; good entries are collected.
 */
final class EntryChecker {

    private static final Logger log = LoggerFactory.getLogger(EntryChecker.class);
    private static final int LOGGED_PER_FETCH = 5;

    private final String source;
    private final Instant now;
    private final VrpSet.Builder vrps = new VrpSet.Builder();
    private final List<AspaRecord> aspas = new ArrayList<>();
    private final List<RouterKeyRecord> routerKeys = new ArrayList<>();
    private final Map<String, Integer> rejected = new TreeMap<>();
    private int logged;

    EntryChecker(String source, Instant now) {
        this.source = source;
        this.now = now;
    }

    /** Checks and keeps one ROA entry; the raw strings are as the source wrote them. */
    void roa(String asnText, String prefixText, Integer maxLength, String trustAnchor, Long expires) {
        long asn;
        try {
            asn = Asn.parse(asnText);
        } catch (IllegalArgumentException | NullPointerException e) {
            reject("asn", asnText + " " + prefixText);
            return;
        }
        IpPrefix prefix;
        try {
            prefix = IpPrefix.parse(prefixText);
        } catch (IllegalArgumentException | NullPointerException e) {
            reject("prefix", asnText + " " + prefixText + ": " + e.getMessage());
            return;
        }
        int max = maxLength == null ? prefix.length() : maxLength;
        if (max < prefix.length() || max > prefix.maxLength()) {
            reject("max_length", asnText + " " + prefixText + " max " + max);
            return;
        }
        if (expires != null && expires < now.getEpochSecond()) {
            reject("expired", asnText + " " + prefixText + " expired " + Instant.ofEpochSecond(expires));
            return;
        }
        vrps.addRaw(prefix.isIpv6(), prefix.high(), prefix.low(), prefix.length(), max, (int) asn, trustAnchor,
                expires == null ? 0 : expires);
    }

    void aspa(String customerText, List<String> providerTexts, Long expires) {
        try {
            long customer = Asn.parse(customerText);
            long[] providers = providerTexts.stream().mapToLong(Asn::parse).toArray();
            if (expires != null && expires < now.getEpochSecond()) {
                reject("expired", "ASPA " + customerText);
                return;
            }
            aspas.add(new AspaRecord(customer, providers));
        } catch (IllegalArgumentException | NullPointerException e) {
            reject("asn", "ASPA " + customerText + " " + providerTexts);
        }
    }

    void routerKey(String asnText, byte[] ski, byte[] spki) {
        try {
            routerKeys.add(new RouterKeyRecord(Asn.parse(asnText), ski, spki));
        } catch (IllegalArgumentException | NullPointerException e) {
            reject("malformed", "router key " + asnText);
        }
    }

    void reject(String reason, String what) {
        rejected.merge(reason, 1, Integer::sum);
        if (logged++ < LOGGED_PER_FETCH) {
            log.atWarn().addKeyValue("event", "rpki_entry_rejected").addKeyValue("source", source)
                    .addKeyValue("reason", reason).addKeyValue("entry", what).log("RPKI entry dropped");
        }
    }

    SourceData result(String format, Instant generatedAt) {
        return new SourceData(format, generatedAt, vrps.build(), List.copyOf(aspas), List.copyOf(routerKeys),
                Map.copyOf(rejected));
    }
}
