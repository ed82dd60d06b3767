package net.rampart.rpki.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import net.rampart.rpki.VrpSet;

/**
 * Routinator's {@code /csv} format: the header {@code ASN,IP Prefix,Max Length,Trust Anchor},
 * then one line a VRP ({@code AS64496,192.0.2.0/24,24,ripe}), in UTF-8 with {@code \n} line
 * ends. A VRP whose source named no trust anchor has {@code N/A}.
 */
public final class VrpCsvOutput {

    private VrpCsvOutput() {
    }

    /** Writes the VRPs to {@code out}, which is flushed but not closed. */
    public static void write(VrpSet vrps, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
        w.write("ASN,IP Prefix,Max Length,Trust Anchor\n");
        for (int i = 0; i < vrps.size(); i++) {
            w.write("AS" + vrps.asn(i) + ',' + vrps.prefix(i) + ',' + vrps.maxLength(i) + ','
                    + TrustAnchorName.of(vrps.trustAnchor(i)) + '\n');
        }
        w.flush();
    }
}
