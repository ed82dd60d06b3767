package net.rampart.rpki.output;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import net.rampart.rpki.AspaRecord;
import net.rampart.rpki.RouterKeyRecord;
import net.rampart.rpki.RpkiSnapshot;
import net.rampart.rpki.VrpSet;

/**
 * Routinator's {@code /json} format: {@code metadata} with the generation time, then
 * {@code roas}, {@code routerKeys} and {@code aspas}, each left out when empty, written
 * compactly in UTF-8. Every entry names its trust anchor, {@code N/A}
 * when unknown: router keys and ASPAs always, as Rampart does not keep theirs.
 */
public final class VrpJsonOutput {

    private static final JsonFactory JSON = new JsonFactory();

    private VrpJsonOutput() {
    }

    /**
     * Writes the snapshot to {@code out}, which is flushed but not closed.
     *
     * @param generated when the data was produced: {@code metadata.generated} (epoch seconds)
     *        and {@code metadata.generatedTime} (ISO 8601)
     */
    public static void write(RpkiSnapshot snapshot, Instant generated, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeObjectFieldStart("metadata");
            g.writeNumberField("generated", generated.getEpochSecond());
            g.writeStringField("generatedTime", generated.toString());
            g.writeEndObject();
            VrpSet vrps = snapshot.vrps();
            if (!vrps.isEmpty()) {
                g.writeArrayFieldStart("roas");
                for (int i = 0; i < vrps.size(); i++) {
                    g.writeStartObject();
                    g.writeStringField("asn", "AS" + vrps.asn(i));
                    g.writeStringField("prefix", vrps.prefix(i).toString());
                    g.writeNumberField("maxLength", vrps.maxLength(i));
                    g.writeStringField("ta", TrustAnchorName.of(vrps.trustAnchor(i)));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!snapshot.routerKeys().isEmpty()) {
                g.writeArrayFieldStart("routerKeys");
                for (RouterKeyRecord k : snapshot.routerKeys()) {
                    g.writeStartObject();
                    g.writeStringField("asn", "AS" + k.asn());
                    g.writeStringField("SKI", k.skiHex().toUpperCase(Locale.ROOT));
                    g.writeStringField("routerPublicKey", Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(k.spki()));
                    g.writeStringField("ta", TrustAnchorName.UNKNOWN);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!snapshot.aspas().isEmpty()) {
                g.writeArrayFieldStart("aspas");
                for (AspaRecord a : snapshot.aspas()) {
                    g.writeStartObject();
                    g.writeStringField("customer", "AS" + a.customer());
                    g.writeArrayFieldStart("providers");
                    for (long p : a.providers()) {
                        g.writeString("AS" + p);
                    }
                    g.writeEndArray();
                    g.writeStringField("ta", TrustAnchorName.UNKNOWN);
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }
}
